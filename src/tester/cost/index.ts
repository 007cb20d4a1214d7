export { CostInputError, decodeInput } from './text.js';
export { parsePlanJson, stripWrapperNoise, type PlanResource, type PlanParseResult } from './plan.js';
export { AWS_US_EAST_1, type PriceTable } from './prices.js';
export {
  estimateCost,
  isFreeType,
  DEFAULT_ASSUMPTIONS,
  type CostAssumptions,
  type CostEstimate,
  type CostResourceInput,
  type ResourceCost,
  type ResourceUsage,
  type TopDriver,
  type Unpriced,
} from './estimate.js';
export { parseInfracostJson } from './infracost.js';
export { checkBudget, type Budget, type BudgetResult } from './budget.js';
