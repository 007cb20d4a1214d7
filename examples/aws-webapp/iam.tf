data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "${local.name_prefix}-app"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_instance_profile" "app" {
  name = "${local.name_prefix}-app"
  role = aws_iam_role.app.name
}

resource "aws_iam_role_policy_attachment" "app_ssm" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "app_assets" {
  statement {
    sid       = "ReadAssets"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]
  }
}

resource "aws_iam_role_policy" "app_assets" {
  name   = "read-assets"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app_assets.json
}

# DELIBERATE: "temporary" full admin for debugging that was never removed
# (IO_AWS_IAM_ADMIN_POLICY).
resource "aws_iam_role_policy" "app_debug" {
  name = "debug-full-access"
  role = aws_iam_role.app.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "TemporaryDebugging"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
