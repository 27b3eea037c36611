// Metrics stay off locally unless asked for (POWERTOOLS_METRICS_DISABLED=false): an EMF line per request
// means something only to CloudWatch. Imported before anything that loads shared/observability.ts.
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
