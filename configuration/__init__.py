"""The deployment's configuration, `cdk.json` context, as typed settings: read by the CDK app
(`infra`) and by the command line (`ivr call`) alike, without importing the CDK.

    from configuration.model import load_config
    config = load_config(json.loads(Path("cdk.json").read_text())["context"])

`model` validates the context (a wrong value raises `errors.ConfigError`, one line naming the key);
`runtime_values` derives from a configuration what the deployed code is given (environment
variables, flow settings, queue names). This package file imports nothing, so the command line
can catch ConfigError without paying for the model.
"""
