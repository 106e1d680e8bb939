export { importFeed, detectFeedFormat, type FeedImportInput } from './import-feed.js';
export { rateRecords, currentThresholds, type RateResult } from './rate.js';
export { validateAlerts, type ValidateOptions, type ValidateResult } from './validate.js';
export { DEFAULT_THRESHOLDS, requiredConfirmations, route, parseThresholdRule, describeRule } from './thresholds.js';
export { privateRanges, anyOf, type InternalPredicate } from './internal.js';
export { canonicalIndicator } from './canonical.js';
export { CSV_TYPES } from './parse-csv.js';
