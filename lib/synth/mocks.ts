import type * as pulumi from "@pulumi/pulumi";
import { AwsTypeCatalog, AwsTypeInfo, splitToken } from "./aws-types";
import { arnServiceOf } from "./arn-service";
import { arnFormats, fillFormat, formatVariables, resourceTypeKeys } from "./catalogue/arn-format-table";
import { ProgramCatalogue, type ObjectShape } from "./catalogue";
import { remoteComponentOutputs, type ModelledChild } from "./components";
import { answerInvoke, ec2Id, type InvokeResults } from "./invokes";
import { LOWER_ALNUM, UPPER_ALNUM, DIGITS, autoName, charsFrom, hexFrom, prefixedName, uuidFrom, accountIdFrom } from "./ids";
import { UserError } from "../errors";
import { SECRET_SIG, SIG_KEY } from "./wire";
import { partitionInfoOf, type PartitionInfo } from "../partition";
import {
    AwsProviderSettings,
    EMPTY_PROVIDER,
    Placement,
    placeResource,
    providerRefId,
    providerSettingsFromConfig,
    providerSettingsFromInputs,
} from "./placement";

type MockResourceArgs = pulumi.runtime.MockResourceArgs;
type MockResourceResult = pulumi.runtime.MockResourceResult;
type MockCallArgs = pulumi.runtime.MockCallArgs;
type MockCallResult = pulumi.runtime.MockCallResult;

/** Resource types whose provider id is their ARN (the Terraform AWS provider's `d.SetId(arn)`). */
const ID_IS_ARN: ReadonlySet<string> = new Set(["aws:lb/targetGroup:TargetGroup", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/listener:Listener"]);

/** Account used to build ARNs when the account a resource lands in is not known. */
export const FALLBACK_ACCOUNT_ID = "123456789012";
/** Region used to build ARNs when the Region a regional resource lands in is not known. */
export const FALLBACK_REGION = "us-east-1";
export { CONTROL_TOWER_TRAIL_LOG_GROUP } from "./invokes";

export interface AwsMocksOptions {
    /** Stack config (keys `namespace:key`); `aws:*` keys configure the default provider. @default {} */
    readonly config?: Readonly<Record<string, string>>;
    /**
     * Organization id that `getOrganization` returns and organization ARNs use.
     * @default a deterministic placeholder `o-` id derived from `seed`
     */
    readonly organizationId?: string;
    /** Account used for ARNs (and `getCallerIdentity`) when no provider pins one. @default "123456789012" */
    readonly fallbackAccountId?: string;
    /** Region used for ARNs when no provider names one. @default "us-east-1" */
    readonly fallbackRegion?: string;
    /** Where resource type facts come from. @default the @pulumi/aws package resolvable from the working directory */
    readonly catalog?: AwsTypeCatalog;
    /** Seed of placeholder values that are not tied to a resource (organization id). @default "orgwatch" */
    readonly seed?: string;
    /** Outputs of the stacks the program reads through a StackReference, by stack name. @default {} */
    readonly stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** Shapes of invokes and components. @default the catalogue for the working directory */
    readonly programCatalogue?: ProgramCatalogue;
    /** Results the user gives for invokes, by token (over the generated answers). @default {} */
    readonly invokeResults?: InvokeResults;
}

/** An invoke that failed in the mocks, kept because the runtime reports only a dead promise chain. */
export interface InvokeFailure {
    readonly token: string;
    readonly error: Error;
}

/** Mock arguments plus the URN of the resource, which the synth harness adds when it knows it. */
export interface MockResourceArgsWithUrn extends MockResourceArgs {
    /** URN of the resource; ids and auto-names are derived from it. @default derived from type and name */
    readonly urn?: string;
}

interface PhysicalName {
    /** Input property that holds the physical name. */
    readonly prop: string;
    /** Longest name AWS accepts, for truncating auto-names. */
    readonly maxLength?: number;
    readonly lowercase?: boolean;
    /** Text every name of the type starts with (KMS aliases). */
    readonly prefix?: string;
    /** Boolean input that makes the name end in `.fifo` (SNS topics, SQS queues). */
    readonly fifoFlag?: string;
}

/** Physical-name property per type (Pulumi auto-names it when the program leaves it unset). */
const PHYSICAL_NAMES: Readonly<Record<string, PhysicalName>> = {
    "aws:s3/bucket:Bucket": { prop: "bucket", maxLength: 63 },
    "aws:kms/alias:Alias": { prop: "name", maxLength: 256, prefix: "alias/" },
    "aws:cloudtrail/trail:Trail": { prop: "name", maxLength: 128 },
    "aws:cloudwatch/logGroup:LogGroup": { prop: "name", maxLength: 512 },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": { prop: "name", maxLength: 512 },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { prop: "name", maxLength: 255 },
    "aws:cloudwatch/dashboard:Dashboard": { prop: "dashboardName", maxLength: 255 },
    "aws:cloudwatch/eventRule:EventRule": { prop: "name", maxLength: 64 },
    "aws:iam/role:Role": { prop: "name", maxLength: 64 },
    "aws:iam/policy:Policy": { prop: "name", maxLength: 128 },
    "aws:iam/rolePolicy:RolePolicy": { prop: "name", maxLength: 128 },
    "aws:sns/topic:Topic": { prop: "name", maxLength: 256, fifoFlag: "fifoTopic" },
    "aws:sqs/queue:Queue": { prop: "name", maxLength: 80, fifoFlag: "fifoQueue" },
    "aws:oam/sink:Sink": { prop: "name", maxLength: 255 },
    "aws:organizations/organizationalUnit:OrganizationalUnit": { prop: "name", maxLength: 128 },
    "aws:organizations/policy:Policy": { prop: "name", maxLength: 128 },
    "aws:organizations/account:Account": { prop: "name", maxLength: 50 },
    "aws:lambda/function:Function": { prop: "name", maxLength: 64 },
    "aws:rds/instance:Instance": { prop: "identifier", maxLength: 63, lowercase: true },
    "aws:lb/loadBalancer:LoadBalancer": { prop: "name", maxLength: 32 },
    "aws:ecs/cluster:Cluster": { prop: "name", maxLength: 255 },
    "aws:ecs/service:Service": { prop: "name", maxLength: 255 },
    "aws:dynamodb/table:Table": { prop: "name", maxLength: 255 },
    "aws:apigateway/restApi:RestApi": { prop: "name" },
    "aws:apigateway/stage:Stage": { prop: "stageName" },
    "aws:apigatewayv2/api:Api": { prop: "name" },
    "aws:apigatewayv2/stage:Stage": { prop: "name" },
    "aws:sfn/stateMachine:StateMachine": { prop: "name", maxLength: 80 },
    // ElastiCache stores replication group ids in lowercase, at most 40 characters (CreateReplicationGroup).
    "aws:elasticache/replicationGroup:ReplicationGroup": { prop: "replicationGroupId", maxLength: 40, lowercase: true },
};

/** Facts about one resource being mocked. */
interface ResourceContext {
    readonly type: string;
    readonly name: string;
    readonly seed: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly info: AwsTypeInfo;
    readonly partition: PartitionInfo;
    /** Region for ARNs of regional types. */
    readonly region: string;
    /** Account for ARNs. */
    readonly account: string;
    readonly organizationId: string;
    /** The physical name, when the type has one. */
    readonly physical: string | undefined;
}

interface Computed {
    readonly id: string;
    readonly attrs: Record<string, unknown>;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function lastSegment(v: string, sep: string): string {
    const i = v.lastIndexOf(sep);
    return i < 0 ? v : v.slice(i + 1);
}

/** `/` → `/`; `x` → `/x/`: IAM paths always start and end with a slash. */
function iamPath(v: unknown): string {
    const p = str(v) ?? "/";
    return `${p.startsWith("/") ? "" : "/"}${p}${p.endsWith("/") ? "" : "/"}`;
}

function arn(c: ResourceContext, service: string, regional: boolean, withAccount: boolean, resource: string): string {
    return `arn:${c.partition.partition}:${service}:${regional ? c.region : ""}:${withAccount ? c.account : ""}:${resource}`;
}

type Handler = (c: ResourceContext) => Computed;

const need = (c: ResourceContext): string => c.physical ?? c.name;

/** ARN formats per type, from each service's "Resource types defined by ..." page of the Service Authorization Reference. */
const HANDLERS: Readonly<Record<string, Handler>> = {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
    "aws:s3/bucket:Bucket": (c) => {
        const b = need(c);
        return {
            id: b,
            attrs: {
                arn: `arn:${c.partition.partition}:s3:::${b}`,
                bucketDomainName: `${b}.s3.${c.partition.dnsSuffix}`,
                bucketRegionalDomainName: `${b}.s3.${c.region}.${c.partition.dnsSuffix}`,
                bucketRegion: c.region,
            },
        };
    },
    "aws:kms/key:Key": (c) => {
        const keyId = uuidFrom(c.seed, "kms-key");
        return { id: keyId, attrs: { keyId, arn: arn(c, "kms", true, true, `key/${keyId}`) } };
    },
    "aws:kms/alias:Alias": (c) => {
        const name = need(c);
        const target = str(c.inputs.targetKeyId);
        const targetKeyArn =
            target === undefined ? undefined : target.startsWith("arn:") ? target : arn(c, "kms", true, true, `key/${target}`);
        return { id: name, attrs: { arn: arn(c, "kms", true, true, name), ...(targetKeyArn ? { targetKeyArn } : {}) } };
    },
    // Trail ids are ARNs in AWS provider 5+ (import takes the ARN).
    "aws:cloudtrail/trail:Trail": (c) => {
        const a = arn(c, "cloudtrail", true, true, `trail/${need(c)}`);
        return { id: a, attrs: { arn: a, homeRegion: c.region } };
    },
    // AWS provider v7 returns the log group ARN without the trailing `:*`.
    "aws:cloudwatch/logGroup:LogGroup": (c) => ({
        id: need(c),
        attrs: { arn: arn(c, "logs", true, true, `log-group:${need(c)}`) },
    }),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (c) => ({ id: need(c), attrs: {} }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({
        id: need(c),
        attrs: { arn: arn(c, "cloudwatch", true, true, `alarm:${need(c)}`) },
    }),
    // Dashboards are global: arn:aws:cloudwatch::<account>:dashboard/<name>.
    "aws:cloudwatch/dashboard:Dashboard": (c) => ({
        id: need(c),
        attrs: { dashboardArn: arn(c, "cloudwatch", false, true, `dashboard/${need(c)}`) },
    }),
    "aws:cloudwatch/eventRule:EventRule": (c) => {
        const bus = lastSegment(str(c.inputs.eventBusName) ?? "default", "/");
        const rule = bus === "default" ? need(c) : `${bus}/${need(c)}`;
        return { id: rule, attrs: { arn: arn(c, "events", true, true, `rule/${rule}`) } };
    },
    "aws:iam/role:Role": (c) => ({
        id: need(c),
        attrs: {
            arn: arn(c, "iam", false, true, `role${iamPath(c.inputs.path)}${need(c)}`),
            uniqueId: `AROA${charsFrom(c.seed, 17, UPPER_ALNUM, "role-unique-id")}`,
        },
    }),
    "aws:iam/policy:Policy": (c) => {
        const a = arn(c, "iam", false, true, `policy${iamPath(c.inputs.path)}${need(c)}`);
        return { id: a, attrs: { arn: a, policyId: `ANPA${charsFrom(c.seed, 17, UPPER_ALNUM, "policy-id")}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (c) => ({ id: `${str(c.inputs.role) ?? ""}:${need(c)}`, attrs: {} }),
    "aws:sns/topic:Topic": (c) => {
        const a = arn(c, "sns", true, true, need(c));
        return { id: a, attrs: { arn: a, owner: c.account } };
    },
    "aws:sns/topicSubscription:TopicSubscription": (c) => {
        const topic = str(c.inputs.topic) ?? arn(c, "sns", true, true, "unknown-topic");
        const a = `${topic}:${uuidFrom(c.seed, "subscription")}`;
        return { id: a, attrs: { arn: a, ownerId: c.account } };
    },
    "aws:oam/sink:Sink": (c) => {
        const sinkId = uuidFrom(c.seed, "oam-sink");
        const a = arn(c, "oam", true, true, `sink/${sinkId}`);
        return { id: a, attrs: { arn: a, sinkId } };
    },
    "aws:oam/link:Link": (c) => {
        const linkId = uuidFrom(c.seed, "oam-link");
        const a = arn(c, "oam", true, true, `link/${linkId}`);
        const template = str(c.inputs.labelTemplate) ?? "$AccountName";
        const label = template
            .replace(/\$AccountEmailNoDomain/g, `account-${c.account}`)
            .replace(/\$AccountEmail/g, `account-${c.account}@example.com`)
            .replace(/\$AccountName/g, `account-${c.account}`);
        const sink = str(c.inputs.sinkIdentifier);
        return { id: a, attrs: { arn: a, linkId, label, ...(sink ? { sinkArn: sink } : {}) } };
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    "aws:organizations/account:Account": (c) => {
        const id = accountIdFrom(c.seed);
        return {
            id,
            attrs: {
                arn: arn(c, "organizations", false, true, `account/${c.organizationId}/${id}`),
                status: "ACTIVE",
            },
        };
    },
    "aws:organizations/policy:Policy": (c) => {
        const id = `p-${charsFrom(c.seed, 8, LOWER_ALNUM, "org-policy")}`;
        const kind = (str(c.inputs.type) ?? "SERVICE_CONTROL_POLICY").toLowerCase();
        return { id, attrs: { arn: arn(c, "organizations", false, true, `policy/${c.organizationId}/${kind}/${id}`) } };
    },
    "aws:organizations/organizationalUnit:OrganizationalUnit": (c) => {
        const root = charsFrom(c.organizationId, 4, LOWER_ALNUM, "org-root");
        const id = `ou-${root}-${charsFrom(c.seed, 8, LOWER_ALNUM, "org-ou")}`;
        return { id, attrs: { arn: arn(c, "organizations", false, true, `ou/${c.organizationId}/${id}`), accounts: [] } };
    },
    "aws:lambda/function:Function": (c) => {
        const a = arn(c, "lambda", true, true, `function:${need(c)}`);
        const invoke = (target: string): string =>
            `arn:${c.partition.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${target}/invocations`;
        return {
            id: need(c),
            attrs: {
                arn: a,
                qualifiedArn: `${a}:$LATEST`,
                invokeArn: invoke(a),
                qualifiedInvokeArn: invoke(`${a}:$LATEST`),
                version: "$LATEST",
            },
        };
    },
    "aws:sqs/queue:Queue": (c) => {
        const url = `https://sqs.${c.region}.${c.partition.dnsSuffix}/${c.account}/${need(c)}`;
        return { id: url, attrs: { arn: arn(c, "sqs", true, true, need(c)), url } };
    },
    "aws:rds/instance:Instance": (c) => {
        const identifier = need(c);
        const resourceId = `db-${charsFrom(c.seed, 26, UPPER_ALNUM, "rds-resource-id")}`;
        const engine = str(c.inputs.engine) ?? "";
        const port = typeof c.inputs.port === "number" ? c.inputs.port : engine.includes("postgres") ? 5432 : 3306;
        const address = `${identifier}.${charsFrom(c.seed, 12, LOWER_ALNUM, "rds-host")}.${c.region}.rds.${c.partition.dnsSuffix}`;
        return {
            id: resourceId,
            attrs: { arn: arn(c, "rds", true, true, `db:${identifier}`), resourceId, address, endpoint: `${address}:${port}`, port },
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (c) => {
        const kind = str(c.inputs.loadBalancerType) ?? "application";
        const short = kind === "network" ? "net" : kind === "gateway" ? "gwy" : "app";
        const suffix = `${short}/${need(c)}/${hexFrom(c.seed, 16, "lb")}`;
        const a = arn(c, "elasticloadbalancing", true, true, `loadbalancer/${suffix}`);
        const internal = c.inputs.internal === true ? "internal-" : "";
        const dnsName = `${internal}${need(c)}-${charsFrom(c.seed, 10, DIGITS, "lb-dns")}.${c.region}.elb.${c.partition.dnsSuffix}`;
        return { id: a, attrs: { arn: a, arnSuffix: suffix, dnsName } };
    },
    "aws:ecs/cluster:Cluster": (c) => {
        const a = arn(c, "ecs", true, true, `cluster/${need(c)}`);
        return { id: a, attrs: { arn: a } };
    },
    "aws:ecs/service:Service": (c) => {
        const cluster = lastSegment(str(c.inputs.cluster) ?? "default", "/");
        const a = arn(c, "ecs", true, true, `service/${cluster}/${need(c)}`);
        return { id: a, attrs: { arn: a } };
    },
    // arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}; the provider's id is the ARN.
    "aws:sfn/stateMachine:StateMachine": (c) => {
        const a = arn(c, "states", true, true, `stateMachine:${need(c)}`);
        return { id: a, attrs: { arn: a } };
    },
    // arn:${Partition}:elasticache:${Region}:${Account}:replicationgroup:${ReplicationGroupId}; the id is the
    // replication group id. Member clusters are named <id>-001 .. <id>-<numCacheClusters> (cluster mode
    // disabled, 1 cluster when not set) or <id>-<0001 .. numNodeGroups>-<001 .. replicasPerNodeGroup + 1>.
    "aws:elasticache/replicationGroup:ReplicationGroup": (c) => {
        const id = need(c);
        const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
        const groups = count(c.inputs.numNodeGroups);
        const members: string[] = [];
        if (groups !== undefined && groups > 0) {
            const perGroup = (count(c.inputs.replicasPerNodeGroup) ?? 0) + 1;
            for (let g = 1; g <= groups; g++) {
                for (let m = 1; m <= perGroup; m++) {
                    members.push(`${id}-${String(g).padStart(4, "0")}-${String(m).padStart(3, "0")}`);
                }
            }
        } else {
            for (let m = 1; m <= (count(c.inputs.numCacheClusters) ?? 1); m++) {
                members.push(`${id}-${String(m).padStart(3, "0")}`);
            }
        }
        return { id, attrs: { arn: arn(c, "elasticache", true, true, `replicationgroup:${id}`), memberClusters: members } };
    },
    "aws:dynamodb/table:Table": (c) => {
        const a = arn(c, "dynamodb", true, true, `table/${need(c)}`);
        const label = "2024-01-01T00:00:00.000";
        const stream = c.inputs.streamEnabled === true ? { streamArn: `${a}/stream/${label}`, streamLabel: label } : {};
        return { id: need(c), attrs: { arn: a, ...stream } };
    },
    "aws:apigateway/restApi:RestApi": (c) => {
        const id = charsFrom(c.seed, 10, LOWER_ALNUM, "restapi");
        return {
            id,
            attrs: {
                arn: `arn:${c.partition.partition}:apigateway:${c.region}::/restapis/${id}`,
                executionArn: arn(c, "execute-api", true, true, id),
                rootResourceId: charsFrom(c.seed, 10, LOWER_ALNUM, "restapi-root"),
            },
        };
    },
    "aws:apigateway/stage:Stage": (c) => {
        const api = str(c.inputs.restApi) ?? "unknown";
        const stage = need(c);
        return {
            id: `ags-${api}-${stage}`,
            attrs: {
                arn: `arn:${c.partition.partition}:apigateway:${c.region}::/restapis/${api}/stages/${stage}`,
                executionArn: arn(c, "execute-api", true, true, `${api}/${stage}`),
                invokeUrl: `https://${api}.execute-api.${c.region}.${c.partition.dnsSuffix}/${stage}`,
            },
        };
    },
    "aws:apigatewayv2/api:Api": (c) => {
        const id = charsFrom(c.seed, 10, LOWER_ALNUM, "apiv2");
        return {
            id,
            attrs: {
                arn: `arn:${c.partition.partition}:apigateway:${c.region}::/apis/${id}`,
                executionArn: arn(c, "execute-api", true, true, id),
                apiEndpoint: `https://${id}.execute-api.${c.region}.${c.partition.dnsSuffix}`,
            },
        };
    },
    "aws:apigatewayv2/stage:Stage": (c) => {
        const api = str(c.inputs.apiId) ?? "unknown";
        const stage = need(c);
        return {
            id: stage,
            attrs: {
                arn: `arn:${c.partition.partition}:apigateway:${c.region}::/apis/${api}/stages/${stage}`,
                executionArn: arn(c, "execute-api", true, true, `${api}/${stage}`),
                invokeUrl: `https://${api}.execute-api.${c.region}.${c.partition.dnsSuffix}/${stage}`,
            },
        };
    },
};

/** Generic fallback: `arn:<partition>:<service>:<region>:<account>:<name>`. */
/**
 * EC2 resources whose ids carry a type prefix (`vpc-0a1b…`), by type token. Their ARNs are
 * `arn:<partition>:ec2:<region>:<account>:<resource type>/<id>` (Service Authorization Reference,
 * "Resource types defined by Amazon EC2").
 */
const EC2_ID_PREFIXES: Readonly<Record<string, readonly [prefix: string, arnType: string]>> = {
    "aws:ec2/vpc:Vpc": ["vpc", "vpc"],
    "aws:ec2/defaultVpc:DefaultVpc": ["vpc", "vpc"],
    "aws:ec2/subnet:Subnet": ["subnet", "subnet"],
    "aws:ec2/securityGroup:SecurityGroup": ["sg", "security-group"],
    "aws:ec2/internetGateway:InternetGateway": ["igw", "internet-gateway"],
    "aws:ec2/natGateway:NatGateway": ["nat", "natgateway"],
    "aws:ec2/routeTable:RouteTable": ["rtb", "route-table"],
    "aws:ec2/eip:Eip": ["eipalloc", "elastic-ip"],
    "aws:ec2/instance:Instance": ["i", "instance"],
    "aws:ec2/networkInterface:NetworkInterface": ["eni", "network-interface"],
    "aws:ec2/launchTemplate:LaunchTemplate": ["lt", "launch-template"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpce", "vpc-endpoint"],
    "aws:ec2/flowLog:FlowLog": ["fl", "vpc-flow-log"],
    "aws:ec2/networkAcl:NetworkAcl": ["acl", "network-acl"],
    "aws:ec2/transitGateway:TransitGateway": ["tgw", "transit-gateway"],
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": ["eigw", "egress-only-internet-gateway"],
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": ["pcx", "vpc-peering-connection"],
    "aws:ebs/volume:Volume": ["vol", "volume"],
};

function genericHandler(c: ResourceContext): Computed {
    const ec2 = EC2_ID_PREFIXES[c.type];
    if (ec2 !== undefined) {
        const id = ec2Id(ec2[0], c.seed);
        return { id, attrs: c.info.outputs.has("arn") || !c.info.known ? { arn: arn(c, "ec2", true, true, `${ec2[1]}/${id}`) } : {} };
    }
    const id = c.physical ?? `${c.name}-${hexFrom(c.seed, 17, "generic-id")}`;
    // `arn` is computed by AWS; some types (a Kinesis stream's, say) also accept it as an optional input,
    // and AWS computes it when the program leaves it out.
    const wantsArn = !c.info.known || c.info.outputs.has("arn") || (c.info.inputs.has("arn") && str(c.inputs.arn) === undefined);
    if (!wantsArn) return { id, attrs: {} };
    const service = arnServiceOf(c.type);
    return { id, attrs: { arn: arnInFormat(c, service, id) ?? arn(c, service, c.info.regional, true, id) } };
}

/**
 * The one stack name of `known` that names the same stack as `requested`, one of them partially
 * qualified: the engine resolves `shared-services` and `network/shared-services` within the current
 * organization and project, so they name `acme/network/shared-services`. Undefined when none or several do.
 */
function partiallyQualifiedMatch(requested: string, known: readonly string[]): string | undefined {
    const want = requested.split("/");
    const matches = known.filter((k) => {
        const have = k.split("/");
        const [shorter, longer] = have.length <= want.length ? [have, want] : [want, have];
        return shorter.length !== longer.length && shorter.every((part, i) => part === longer[longer.length - shorter.length + i]);
    });
    return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The ARN of a resource in its type's format from the Service Authorization Reference, where that format
 * has one variable besides partition, Region and account (the resource's name or id): a Kinesis stream is
 * `arn:aws:kinesis:<region>:<account>:stream/<name>`. Undefined when no such format names the type.
 */
function arnInFormat(c: ResourceContext, service: string, id: string): string | undefined {
    const member = splitToken(c.type)?.member;
    const [arnService, typeKey] = ARN_TYPE_KEYS[c.type] ?? [service, undefined];
    const formats = arnFormats()[arnService];
    if (member === undefined || formats === undefined) return undefined;
    const key = typeKey ?? resourceTypeKeys(member.charAt(0).toLowerCase() + member.slice(1)).find((k) => formats[k] !== undefined);
    const format = key === undefined ? undefined : formats[key];
    if (format === undefined) return undefined;
    const variables = formatVariables(format);
    if (variables.length !== 1) return undefined;
    const value = /WithoutLeadingSlash$/.test(variables[0]) ? id.replace(/^\//, "") : id;
    return fillFormat(format, (v) => (v === "Partition" ? c.partition.partition : v === "Region" ? c.region : v === "Account" ? c.account : value));
}

/** Types whose ARN is another service's or another resource type's than their token says. */
const ARN_TYPE_KEYS: Readonly<Record<string, readonly [string, string]>> = {
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ["firehose", "deliverystream"],
};

/**
 * `pulumi.runtime.Mocks` that make AWS resources look like AWS: deterministic ids derived from the
 * URN, ARNs in the real format for the type, partition, account and Region, Pulumi-style auto-names.
 *
 * Account and Region follow the provider: each `pulumi:providers:aws` resource is remembered by the id
 * these mocks give it, so a resource created through it (its `provider` reference is `<urn>::<id>`)
 * gets that provider's account and Region; resources on the default provider use the `aws:*` config.
 */
export class AwsMocks implements pulumi.runtime.Mocks {
    public readonly defaultProvider: AwsProviderSettings;
    public readonly organizationId: string;
    /** User errors the mocks raised (the runtime may wrap them in errors of its own). */
    public readonly userErrors: UserError[] = [];
    /** True once an organization id was needed and none was given (the placeholder was used). */
    public organizationPlaceholderUsed = false;
    private readonly organizationIdGiven: boolean;
    private readonly providersById = new Map<string, AwsProviderSettings>();
    private readonly catalog: AwsTypeCatalog;
    private readonly fallbackAccountId: string;
    private readonly fallbackRegion: string;
    private readonly stackReferences: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    private readonly programCatalogue: ProgramCatalogue;
    private readonly invokeResults: InvokeResults;
    /** Invokes that failed, in order. */
    public readonly invokeFailures: InvokeFailure[] = [];
    /** Things a reader must know about the answers given (placeholder values used, ...). */
    public readonly notes = new Set<string>();
    private readonly pendingChildren: ModelledChild[] = [];
    /** What the program last did: the resource it registered or the function it called (for failure reports). */
    public lastStep: string | undefined;

    constructor(options: AwsMocksOptions = {}) {
        this.stackReferences = options.stackReferences ?? {};
        this.programCatalogue = options.programCatalogue ?? new ProgramCatalogue(process.cwd());
        this.invokeResults = options.invokeResults ?? {};
        this.defaultProvider = providerSettingsFromConfig(options.config ?? {});
        this.organizationId =
            options.organizationId ?? `o-${charsFrom(options.seed ?? "orgwatch", 10, LOWER_ALNUM, "organization-id")}`;
        this.organizationIdGiven = options.organizationId !== undefined;
        this.catalog = options.catalog ?? AwsTypeCatalog.forProgram(process.cwd());
        this.fallbackAccountId = options.fallbackAccountId ?? FALLBACK_ACCOUNT_ID;
        this.fallbackRegion = options.fallbackRegion ?? FALLBACK_REGION;
    }

    /** Type facts used by these mocks. */
    public typeInfo(type: string): AwsTypeInfo {
        return this.catalog.info(type);
    }

    /** Settings of the aws provider behind a provider reference; the default provider for an empty one. */
    public providerSettings(providerRef: string | undefined): AwsProviderSettings {
        if (!providerRef) {
            return this.defaultProvider;
        }
        return this.providersById.get(providerRefId(providerRef)) ?? EMPTY_PROVIDER;
    }

    /** True when the reference names an aws provider these mocks created. */
    public isAwsProviderRef(providerRef: string): boolean {
        return this.providersById.has(providerRefId(providerRef));
    }

    /** Account and Region of an `aws:*` resource; both null for other packages. */
    public placement(type: string, inputs: Readonly<Record<string, unknown>>, providerRef: string | undefined): Placement {
        if (splitToken(type)?.pkg !== "aws") {
            return { account: null, region: null };
        }
        return placeResource(this.providerSettings(providerRef), this.catalog.info(type).regional, inputs);
    }

    /** The state of every resource given so far, by URN and by `<type>::<name>` (each list in order). */
    private readonly states = new Map<string, Record<string, unknown>[]>();

    public newResource(args: MockResourceArgsWithUrn): MockResourceResult {
        const result = this.newResourceState(args);
        const state = result.state as Record<string, unknown>;
        for (const key of [args.urn, `${args.type}::${args.name}`]) {
            if (key === undefined) continue;
            this.states.set(key, [...(this.states.get(key) ?? []), state]);
        }
        return result;
    }

    /**
     * The state given to the resource `ref` names: a resource object of the program (its type and
     * name, when only one resource has them), a resource reference (`{urn}`) or a URN.
     */
    public stateOf(ref: unknown): Readonly<Record<string, unknown>> | undefined {
        let key: string | undefined;
        if (typeof ref === "string") key = ref;
        else if (isRecord(ref) && typeof ref.urn === "string") key = ref.urn;
        else if (typeof ref === "object" && ref !== null) {
            const r = ref as { __pulumiType?: unknown; __name?: unknown };
            if (typeof r.__pulumiType === "string" && typeof r.__name === "string") key = `${r.__pulumiType}::${r.__name}`;
        }
        const found = key === undefined ? undefined : this.states.get(key);
        return found?.length === 1 ? found[0] : undefined;
    }

    private newResourceState(args: MockResourceArgsWithUrn): MockResourceResult {
        const inputs: Record<string, unknown> = isRecord(args.inputs) ? { ...args.inputs } : {};
        const seed = args.urn ?? `${args.type}::${args.name}`;
        if (args.type.startsWith("pulumi:providers:")) {
            const id = uuidFrom(seed, "provider");
            if (args.type === "pulumi:providers:aws") {
                this.providersById.set(id, providerSettingsFromInputs(inputs));
            }
            return { id, state: inputs };
        }
        if (args.type === "pulumi:pulumi:StackReference") {
            const stack = String(inputs.name ?? args.id ?? args.name);
            const outputs = this.stackReferences[stack] ?? this.stackReferences[partiallyQualifiedMatch(stack, Object.keys(this.stackReferences)) ?? ""];
            if (outputs === undefined) {
                const known = Object.keys(this.stackReferences);
                const err = new UserError(`No outputs of stack ${stack} offline: give them with --stack-references <file> ({"${stack}": {"<output>": <value>}})`, [
                    { path: `StackReference ${args.name}`, allowed: `a stack whose outputs the synth has (${known.length === 0 ? "none given" : known.join(", ")})`, received: JSON.stringify(stack) },
                ]);
                // The runtime wraps errors of reads in its own; the harness reports this one instead.
                this.userErrors.push(err);
                throw err;
            }
            // An output given as the runtime's secret marker ({ <sig key>: <secret sig>, value }) is a
            // secret output of that stack, as the engine reports it (`secretOutputNames`).
            const plain: Record<string, unknown> = {};
            const secretOutputNames: string[] = [];
            for (const [key, value] of Object.entries(outputs)) {
                if (isRecord(value) && value[SIG_KEY] === SECRET_SIG) {
                    secretOutputNames.push(key);
                    plain[key] = value.value;
                } else {
                    plain[key] = value;
                }
            }
            return { id: stack, state: { name: stack, outputs: plain, secretOutputNames } };
        }
        if (args.custom === false) {
            // Components have no physical id. A remote component's outputs come from its provider:
            // offline they get values of the shape its SDK declares; a local one echoes its inputs.
            const shape = this.programCatalogue.component(args.type);
            if (shape !== undefined) {
                return { id: undefined, state: { ...inputs, ...this.remoteOutputs(shape, args.type, args.name, seed, inputs, args.provider) } };
            }
            return { id: undefined, state: inputs };
        }
        if (splitToken(args.type)?.pkg !== "aws") {
            return { id: args.id || `${args.name}-${hexFrom(seed, 8, "id")}`, state: inputs };
        }
        const provider = this.providerSettings(args.provider);
        const info = this.catalog.info(args.type);
        const place = placeResource(provider, info.regional, inputs);
        const region = place.region ?? provider.region ?? this.fallbackRegion;
        const physicalSpec = PHYSICAL_NAMES[args.type] ?? (info.inputs.has("name") ? { prop: "name" } : undefined);
        const physical = physicalSpec ? this.physicalName(physicalSpec, args.name, seed, inputs) : undefined;
        const ctx: ResourceContext = {
            type: args.type,
            name: args.name,
            seed,
            inputs,
            info,
            partition: partitionInfoOf(region),
            region,
            account: place.account ?? this.fallbackAccountId,
            organizationId: this.organizationId,
            physical,
        };
        const computed = (HANDLERS[args.type] ?? genericHandler)(ctx);
        if (splitToken(args.type)?.module === "organizations") {
            this.organizationPlaceholderUsed ||= !this.organizationIdGiven;
        }
        const state: Record<string, unknown> = { ...inputs };
        if (physicalSpec && physical !== undefined) {
            state[physicalSpec.prop] = physical;
        }
        Object.assign(state, computed.attrs);
        if (info.regional && info.inputs.has("region")) {
            state.region = region;
        }
        if (info.outputs.has("tagsAll")) {
            const own = isRecord(inputs.tags) ? inputs.tags : {};
            state.tagsAll = { ...provider.defaultTags, ...own };
        }
        return { id: args.id || computed.id, state };
    }

    /** Children modelled for remote components since the last call (the harness makes them readable by URN). */
    public drainModelledChildren(): ModelledChild[] {
        return this.pendingChildren.splice(0);
    }

    private remoteOutputs(shape: ObjectShape, type: string, name: string, urn: string, inputs: Record<string, unknown>, providerRef: string | undefined): Record<string, unknown> {
        const provider = this.providerSettings(providerRef);
        const region = str(inputs.region) ?? provider.region ?? this.fallbackRegion;
        const [, , qualified] = urn.split("::");
        const prefix = urn.slice(0, urn.indexOf("::", urn.indexOf("::") + 2) + 2);
        return remoteComponentOutputs(shape, {
            type,
            name,
            urn,
            inputs,
            account: provider.account ?? this.fallbackAccountId,
            region,
            partition: partitionInfoOf(region),
            types: this.programCatalogue.types,
            stateOf: (ref) => this.stateOf(ref),
            child: (childType, childName, childInputs) => {
                const childUrn = `${prefix}${qualified ?? type}$${childType}::${childName}`;
                const plain = Object.fromEntries(Object.entries(childInputs).filter(([, v]) => v !== undefined));
                const r = this.newResource({ type: childType, name: childName, inputs: plain, custom: true, provider: providerRef, urn: childUrn } as MockResourceArgsWithUrn);
                const state = r.state as Record<string, unknown>;
                // An ARN the component model gives (in its resource type's documented format) is the child's.
                if (typeof plain.arn === "string") state.arn = plain.arn;
                if (typeof plain.arnSuffix === "string") state.arnSuffix = plain.arnSuffix;
                const id = typeof plain.arn === "string" && ID_IS_ARN.has(childType) ? plain.arn : (r.id ?? "");
                const child: ModelledChild = { urn: childUrn, type: childType, name: childName, id, state };
                this.pendingChildren.push(child);
                return child;
            },
        });
    }

    public call(args: MockCallArgs): MockCallResult {
        const provider = this.providerSettings(args.provider);
        const inputs: Record<string, unknown> = isRecord(args.inputs) ? args.inputs : {};
        const region = str(inputs.region) ?? provider.region ?? this.fallbackRegion;
        this.lastStep = `calling ${args.token}`;
        try {
            return answerInvoke({
                token: args.token,
                args: inputs,
                account: provider.account ?? this.fallbackAccountId,
                region,
                partition: partitionInfoOf(region),
                catalogue: this.programCatalogue,
                given: this.invokeResults,
                world: {
                    organizationId: this.organizationId,
                    roleArn: provider.roleArn ?? undefined,
                    note: (text) => this.notes.add(text),
                    organizationUsed: () => {
                        this.organizationPlaceholderUsed ||= !this.organizationIdGiven;
                    },
                },
            });
        } catch (err) {
            // The runtime reports a failed invoke only as a dead promise chain: keep the cause.
            this.invokeFailures.push({ token: args.token, error: err instanceof Error ? err : new Error(String(err)) });
            throw err;
        }
    }

    private physicalName(spec: PhysicalName, logical: string, seed: string, inputs: Record<string, unknown>): string {
        const given = str(inputs[spec.prop]);
        if (given !== undefined) {
            return given;
        }
        const fifo = spec.fifoFlag !== undefined && inputs[spec.fifoFlag] === true ? ".fifo" : "";
        const prefix = str(inputs.namePrefix);
        let base: string;
        if (prefix !== undefined) {
            base = prefixedName(prefix, seed);
        } else {
            const room = spec.maxLength === undefined ? undefined : spec.maxLength - fifo.length - (spec.prefix?.length ?? 0);
            base = autoName(spec.lowercase ? logical.toLowerCase() : logical, seed, room);
        }
        const withPrefix = spec.prefix !== undefined && !base.startsWith(spec.prefix) ? spec.prefix + base : base;
        return withPrefix + fifo;
    }
}
