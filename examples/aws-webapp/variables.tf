variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "webapp"
}

variable "environment" {
  description = "Environment name (test, prod, ...)."
  type        = string
}

variable "owner" {
  description = "Team that owns the stack (the Owner tag)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; subnets are carved out of it."
  type        = string
  default     = "10.20.0.0/16"
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener."
  type        = string
}

variable "app_port" {
  description = "Port the application listens on."
  type        = number
  default     = 8080
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "webapp"
}

variable "db_username" {
  description = "Master user name of the database."
  type        = string
  default     = "webapp_admin"
}

variable "db_password" {
  description = "Master password of the database (pass it as TF_VAR_db_password, never in a .tfvars file)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.db_password) >= 16
    error_message = "The database password must be at least 16 characters long."
  }
}

variable "alarm_email" {
  description = "Address that receives CloudWatch alarm notifications."
  type        = string
}
