/** The shipped, dated price table (templates/prices/aws-us-east-1.json) and its shape. */
import awsUsEast1 from '../../../templates/prices/aws-us-east-1.json' with { type: 'json' };

export interface PriceTable {
  asOf: string;
  provider: string;
  region: string;
  currency: string;
  source: string;
  approximate: boolean;
  hoursPerMonth: number;
  ec2Hourly: Record<string, number>;
  rdsHourlySingleAz: Record<string, number>;
  rdsMultiAzMultiplier: number;
  rdsStoragePerGBMonth: Record<string, number>;
  ebsPerGBMonth: Record<string, number>;
  ebsProvisionedIopsPerMonth: Record<string, number>;
  natGateway: { hourly: number; perGBProcessed: number };
  loadBalancerHourly: Record<string, number>;
  eksClusterHourly: number;
  lambda: { perGBSecond: number; perMillionRequests: number };
  s3StandardPerGBMonth: number;
}

/** Approximate on-demand list prices for us-east-1 (see `asOf` and `source`). */
export const AWS_US_EAST_1: PriceTable = awsUsEast1 as PriceTable;
