/**
 * The shape printed by `synth --json` (issue contract: keep field names and meanings exactly).
 * Also the input of the offline policy check.
 */
export interface SynthResource {
    readonly urn: string;
    /** Pulumi type token, e.g. `aws:cloudtrail/trail:Trail`. */
    readonly type: string;
    /** Logical name given to the resource constructor. */
    readonly name: string;
    readonly parent: string | null;
    /** True for custom (provider) resources, false for components. */
    readonly custom: boolean;
    /** URN of the provider the resource is created through, null for components and default providers not tracked. */
    readonly provider: string | null;
    /** The 12-digit account the resource lands in, when known. */
    readonly account: string | null;
    /** The Region the resource lands in, when it is regional and known. */
    readonly region: string | null;
    /** Inputs exactly as passed to the provider. */
    readonly inputs: Record<string, unknown>;
    /** Mocked physical id (deterministic), null for components. */
    readonly id: string | null;
    /** Mocked state: inputs plus computed attributes (arn, name, ...). */
    readonly outputs: Record<string, unknown>;
    /**
     * URNs the resource depends on, as the engine records them: explicit `dependsOn` (components
     * expanded to their custom children) plus the resources its inputs come from. Sorted.
     */
    readonly dependsOn: readonly string[];
    readonly protect: boolean;
    /**
     * Input properties whose changes `pulumi up` ignores (the `ignoreChanges` option), sorted.
     * @default absent: none
     */
    readonly ignoreChanges?: readonly string[];
    /**
     * Present (true) only for remote (multi-language) components such as awsx 3.x `Vpc` or `Trail`:
     * their children are created by the component's provider and are not visible offline.
     * @default absent: a local component or a custom resource
     */
    readonly remote?: true;
    /**
     * Present (true) only for resources the program reads rather than manages (a StackReference, a
     * resource's static `get`): the engine records them as external and never changes them.
     * @default absent: a managed resource
     */
    readonly external?: true;
}

export interface SynthResult {
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly SynthResource[];
    readonly outputs: Record<string, unknown>;
}
