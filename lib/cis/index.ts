export { CIS_CONTROLS, CisControl, CisNumbers, findControl, metricNameOf, patternOf } from "./catalogue";
