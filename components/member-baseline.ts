import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { oamLinkTemplate, templateBody } from "../lib/baseline/template";
import type { MemberBaselinesConfig } from "../lib/config/schema";
import { slug } from "../lib/naming";

/** Type token of the component; keep it stable (renaming it replaces the StackSet and every stack it deployed). */
export const MEMBER_BASELINE_TYPE = "orgwatch:baseline:MemberBaseline";

/** Service principal of CloudFormation StackSets in AWS Organizations (trusted access and delegated administration). */
export const STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com";


export interface MemberBaselineArgs {
    /** Name of the StackSet (physical; the guardrail SCP protects its stacks, `StackSet-<name>-*`). */
    readonly stackSetName: string;
    /** Region whose CloudFormation endpoint holds the StackSet (the home Region). */
    readonly homeRegion: string;
    /** OAM sink ARN per governed Region: the template names each Region's sink; an instance per Region. */
    readonly sinkArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** What every member account shares with the monitoring account. */
    readonly resourceTypes: readonly string[];
    /**
     * Deployment targets: target (as written in config) → root or OU id. Each target has its own StackSet
     * instance per Region, named after the target, so adding or removing a target adds or removes only its
     * instances.
     */
    readonly targets: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Accounts that get no link even inside the targets: the monitoring account (its own sink cannot be linked
     * to) and accounts whose link is managed directly. Left out of the instances' deployments and, because
     * automatic deployment ignores account filters, by a condition in the template too.
     * @default []
     */
    readonly excludedAccountIds?: readonly string[];
    /**
     * A member account that administers the StackSet as CloudFormation StackSets' delegated administrator
     * (`callAs: DELEGATED_ADMIN`): the component's provider must be that account's; the registration is made
     * in the management account through `managementProvider`.
     * @default - the management account administers the StackSet (the component's provider is the management account's)
     */
    readonly delegatedAdministrator?: { readonly accountId: string; readonly managementProvider: pulumi.ProviderResource };
    readonly operationPreferences: MemberBaselinesConfig["operationPreferences"];
    /** Protect the StackSet and its instances from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * The baseline of every member account, deployed by AWS: one service-managed CloudFormation StackSet with
 * automatic deployment, and one StackSet instance per target OU and governed Region. Every account in a
 * target OU (now or when it joins later) gets a stack per Region holding one OAM link to that Region's sink;
 * an account that leaves the OUs loses its stacks. The stack's explicit providers and resources do not grow
 * with the organization: AWS does the per-account work from this one place.
 *
 * Service-managed StackSets never deploy to the management account; its link is managed directly.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
export class MemberBaseline extends pulumi.ComponentResource {
    public readonly stackSetName: pulumi.Output<string>;
    public readonly stackSetArn: pulumi.Output<string>;

    constructor(name: string, args: MemberBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super(MEMBER_BASELINE_TYPE, name, {}, opts);
        const protect = args.protect ?? true;
        const admin = args.delegatedAdministrator;
        const callAs = admin === undefined ? "SELF" : "DELEGATED_ADMIN";
        // Trusted access must be on first (bootstrap); a delegated administrator is registered for the service.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
        const registration =
            admin === undefined
                ? undefined
                : new aws.organizations.DelegatedAdministrator(
                      `${name}-delegated-admin`,
                      { accountId: admin.accountId, servicePrincipal: STACKSETS_SERVICE_PRINCIPAL },
                      { parent: this, provider: admin.managementProvider, protect },
                  );
        const regions = Object.keys(args.sinkArns);
        const prefs = args.operationPreferences;
        const excluded = [...new Set(args.excludedAccountIds ?? [])].sort();
        const body = pulumi
            .all(Object.fromEntries(regions.map((r) => [r, pulumi.output(args.sinkArns[r])])))
            .apply((sinkArns) => templateBody(oamLinkTemplate({ sinkArns, resourceTypes: args.resourceTypes, excludedAccountIds: excluded })));

        const stackSet = new aws.cloudformation.StackSet(
            `${name}-stackset`,
            {
                name: args.stackSetName,
                description: "orgwatch: every member account shares its telemetry with the monitoring account (OAM link per governed Region)",
                permissionModel: "SERVICE_MANAGED",
                // Accounts that join a target OU get the stack; accounts that leave lose it (and their link).
                autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                // Operations on different Regions or accounts run at once; conflicting ones queue instead of failing.
                managedExecution: { active: true },
                callAs,
                templateBody: body,
                // How a template change rolls out to every stack (UpdateStackSet). Automatic deployments do not use them.
                operationPreferences: {
                    maxConcurrentPercentage: prefs.maxConcurrentPercentage,
                    failureTolerancePercentage: prefs.failureTolerancePercentage,
                    regionConcurrencyType: prefs.regionConcurrencyType,
                },
                region: args.homeRegion,
            },
            { parent: this, protect, dependsOn: registration === undefined ? [] : [registration] },
        );

        for (const [target, ouId] of Object.entries(args.targets)) {
            for (const region of regions) {
                new aws.cloudformation.StackSetInstance(
                    `${name}-${slug(target)}-${region}`,
                    {
                        // The same name, carrying a dependency on the Region's sink: when a governed Region is removed,
                        // the engine deletes the Region's instances (and with them its stacks) before its sink, which
                        // OAM refuses to delete while links to it exist. docs/scaling.md, "Removing a governed Region".
                        stackSetName: pulumi.all([stackSet.name, args.sinkArns[region]]).apply(([stackSetName]) => stackSetName),
                        stackSetInstanceRegion: region,
                        callAs,
                        deploymentTargets: {
                            organizationalUnitIds: [ouId],
                            // DIFFERENCE: the target OU's accounts except these.
                            // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html
                            ...(excluded.length > 0 ? { accounts: excluded, accountFilterType: "DIFFERENCE" } : {}),
                        },
                        operationPreferences: {
                            maxConcurrentPercentage: prefs.maxConcurrentPercentage,
                            failureTolerancePercentage: prefs.failureTolerancePercentage,
                            regionConcurrencyType: prefs.regionConcurrencyType,
                            concurrencyMode: prefs.concurrencyMode,
                        },
                        // Removing the instance removes the stacks (and links) it deployed.
                        retainStack: false,
                    },
                    {
                        parent: this,
                        protect,
                        // An instance is only ever created or deleted, never updated in place: the AWS provider sends an
                        // OU-targeted instance's update as an account list, which CloudFormation refuses
                        // (hashicorp/terraform-provider-aws#40675, #39393), and any change of its targets would replace
                        // it, deleting its stacks. An instance's targets are fixed by its name (one per target), its
                        // operation preferences apply when it is created, and template changes reach its stacks
                        // through the StackSet.
                        ignoreChanges: ["deploymentTargets", "operationPreferences"],
                    },
                );
            }
        }
        this.stackSetName = stackSet.name;
        this.stackSetArn = stackSet.arn;
        this.registerOutputs({ stackSetName: this.stackSetName, stackSetArn: this.stackSetArn });
    }
}
