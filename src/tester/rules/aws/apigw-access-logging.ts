import type { Rule } from '../types.js';
import { blocks, hasDynamic } from '../util.js';
import { requireSet } from './nested-common.js';

export const apigwAccessLogging: Rule = {
  id: 'IO_AWS_APIGW_ACCESS_LOGGING',
  title: 'API Gateway stage has no access logging',
  severity: 'MEDIUM',
  aliases: ['CKV_AWS_76', 'aws-api-gateway-enable-access-logging', 'AWS-0001'],
  remediation: 'Add access_log_settings { destination_arn = aws_cloudwatch_log_group.api.arn, format = ... } to the stage.',
  docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  resourceTypes: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
  check(r) {
    if (hasDynamic(r.body, 'access_log_settings') || typeof r.body['access_log_settings'] === 'string') return 'unknown';
    const s = blocks(r.body, 'access_log_settings')[0];
    if (!s) return 'fail';
    return requireSet(s, 'destination_arn');
  },
};
