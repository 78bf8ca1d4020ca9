export * from "./ast";
export { PatternSyntaxError, isPatternSyntaxError } from "./errors";
export { parsePattern, isNumberLiteral } from "./parser";
export { matches, matchesMessage, compilePattern, CompiledPattern } from "./evaluate";
