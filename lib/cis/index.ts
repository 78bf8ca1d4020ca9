// The CIS catalogue belongs to the policy pack (policies/cis-catalogue.ts), which must load from its
// own directory alone; the program reads the same module from there (docs/adr/0002-policy-pack-artifact.md).
export { CIS_CONTROLS, CisControl, CisNumbers, findControl, metricNameOf, patternOf } from "../../policies/cis-catalogue";
