region          = "eu-west-1"
project         = "webapp"
environment     = "test"
owner           = "platform-team"
vpc_cidr        = "10.20.0.0/16"
certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b6f2a4e-6f0c-4d8e-9d3a-7d2c5e1f9a10"
alarm_email     = "platform-team@example.com"
# db_password comes from the environment: export TF_VAR_db_password=...
