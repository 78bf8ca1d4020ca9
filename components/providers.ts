import type * as aws from "@pulumi/aws";
import { getVersion } from "@pulumi/aws/utilities";
import * as pulumi from "@pulumi/pulumi";

/** Tags every orgwatch resource carries (through the providers' default tags). */
export const MANAGED_BY_TAG = { ManagedBy: "orgwatch" } as const;

export interface AccountProviderArgs {
    /** The 12-digit account the provider may touch (`allowedAccountIds`): a wrong credential fails instead of deploying there. */
    readonly accountId: pulumi.Input<string>;
    /** Region of the provider; resources in other Regions set their own `region`. */
    readonly region: string;
    /** AWS partition of the Region (`aws`, `aws-cn`, `aws-us-gov`). */
    readonly partition: string;
    /** Role to assume in the account, by name. Ignored when `roleArn` is set. @default - no role is assumed */
    readonly roleName?: string;
    /** Role to assume, by ARN. @default - derived from `roleName` */
    readonly roleArn?: string;
    /** External id for the role assumption. @default - none */
    readonly externalId?: string;
    /** Tags added to every resource created through the provider. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The `aws.ProviderArgs` orgwatch sets. */
export interface AwsProviderInputs {
    readonly region: string;
    readonly allowedAccountIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly assumeRoles?: pulumi.Input<pulumi.Input<aws.types.input.ProviderAssumeRole>[]>;
    readonly defaultTags: pulumi.Input<aws.types.input.ProviderDefaultTags>;
}

/**
 * The AWS provider (`pulumi:providers:aws`), registered exactly as `aws.Provider` registers it for
 * the same arguments: the same inputs on the wire (list and object inputs JSON-encoded, the two
 * validation defaults `aws.Provider` always sends), the same plugin version and secret outputs. A
 * test registers both and compares the registrations.
 *
 * Why not `aws.Provider`: it declares all 35 provider settings as outputs, and JSON-encodes 22 of
 * them through `Output.apply` even when unset, so each instance costs the runtime some 300 promises.
 * orgwatch creates one provider per member account; at 1,000 accounts that was the largest part of
 * the synth's time and memory (bench/RESULTS.md). This class carries only the settings orgwatch sets.
 */
export class AwsProvider extends pulumi.ProviderResource {
    constructor(name: string, args: AwsProviderInputs, opts?: pulumi.ResourceOptions) {
        const json = <T>(v: pulumi.Input<T>): pulumi.Output<string> => pulumi.output(v).apply((x) => JSON.stringify(x));
        super(
            "aws",
            name,
            {
                allowedAccountIds: json(args.allowedAccountIds),
                ...(args.assumeRoles === undefined ? {} : { assumeRoles: json(args.assumeRoles) }),
                defaultTags: json(args.defaultTags),
                region: args.region,
                skipCredentialsValidation: "false",
                skipRegionValidation: "true",
            },
            pulumi.mergeOptions(pulumi.mergeOptions({ version: getVersion() }, opts), { additionalSecretOutputs: ["accessKey", "secretKey", "token"] }),
        );
    }
}

/** The arguments {@link accountProvider} gives the AWS provider. */
export function accountProviderInputs(args: AccountProviderArgs): AwsProviderInputs {
    const roleArn = args.roleArn ?? (args.roleName !== undefined ? pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:role/${args.roleName}` : undefined);
    return {
        region: args.region,
        allowedAccountIds: [args.accountId],
        assumeRoles: roleArn === undefined ? undefined : [{ roleArn, sessionName: "orgwatch", externalId: args.externalId }],
        // Sorted: the provider receives the tags as JSON text, which must not depend on where they came
        // from (a stack file, or a StackReference, whose outputs come back with sorted keys).
        defaultTags: { tags: Object.fromEntries(Object.entries({ ...args.tags, ...MANAGED_BY_TAG }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) },
    };
}

/**
 * An explicit AWS provider for one account. The engine refuses to act in any other account
 * (`allowedAccountIds`), so a mix-up of credentials fails at the first API call.
 */
export function accountProvider(name: string, args: AccountProviderArgs, opts?: pulumi.CustomResourceOptions): AwsProvider {
    return new AwsProvider(name, accountProviderInputs(args), opts);
}
