resource "aws_db_subnet_group" "main" {
  name       = "${local.name_prefix}-db"
  subnet_ids = aws_subnet.private[*].id
}

# DELIBERATE: storage_encrypted = false (IO_AWS_RDS_STORAGE_ENCRYPTED) and
# backup_retention_period = 0, which turns automated backups off (IO_AWS_RDS_BACKUP_RETENTION).
resource "aws_db_instance" "main" {
  identifier                          = "${local.name_prefix}-db"
  engine                              = "postgres"
  engine_version                      = "16.4"
  instance_class                      = "db.t3.medium"
  allocated_storage                   = 20
  max_allocated_storage               = 100
  storage_type                        = "gp3"
  storage_encrypted                   = false
  db_name                             = var.db_name
  username                            = var.db_username
  password                            = var.db_password
  db_subnet_group_name                = aws_db_subnet_group.main.name
  vpc_security_group_ids              = [aws_security_group.db.id]
  publicly_accessible                 = false
  multi_az                            = var.environment == "prod"
  backup_retention_period             = 0
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  performance_insights_enabled        = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${local.name_prefix}-db-final"
}
