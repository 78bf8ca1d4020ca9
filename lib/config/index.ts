import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, type ExtraCheck } from "./load";
import type { StackConfig } from "./schema";

export * from "./schema";
export { parseStackConfig, namespaceObject, CONFIG_NAMESPACE, type ExtraCheck } from "./load";
export { accountCoverage, coverageByTarget, coveringTarget, type AccountCoverage } from "./coverage";
export { partitionOf } from "../partition";

/** Environment variable naming the stack file when it is not `Pulumi.<stack>.yaml` (set by the offline commands). */
export const STACK_FILE_ENV = "ORGWATCH_STACK_FILE";

/** The stack file a user edits to fix a config problem. */
export function stackFileName(): string {
    return process.env[STACK_FILE_ENV] ?? `Pulumi.${pulumi.getStack()}.yaml`;
}

/** Reads and validates the running stack's configuration (throws a UserError listing every problem). */
export function loadStackConfig(extraChecks: readonly ExtraCheck[] = []): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), stackFileName(), extraChecks);
}
