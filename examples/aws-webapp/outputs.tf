output "url" {
  description = "Public URL of the application."
  value       = "https://${aws_lb.web.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point the site's CNAME here)."
  value       = aws_lb.web.dns_name
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "db_endpoint" {
  description = "Host:port of the PostgreSQL instance."
  value       = aws_db_instance.main.endpoint
}

output "assets_bucket" {
  description = "Name of the static assets bucket."
  value       = aws_s3_bucket.assets.bucket
}

output "bastion_public_ip" {
  description = "Public IP of the bastion host."
  value       = aws_instance.bastion.public_ip
}
