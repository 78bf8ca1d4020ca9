import { expect } from "chai";
import { alarmTopicKeyPolicy, alarmTopicPolicy, type AlarmTopicPolicyArgs, type PolicyStatement } from "../../../lib/policy-documents";

// Written by hand from AWS re:Post knowledge-center articles "cloudwatch-configure-alarm-sns" (key policy:
// cloudwatch.amazonaws.com kms:Decrypt + kms:GenerateDataKey*) and "cloudwatch-receive-sns-for-alarm-trigger"
// (topic policy: ArnLike aws:SourceArn arn:aws:cloudwatch:<region>:<account>:alarm:*), and the SNS guide's
// "enforce encryption of data in transit" (Bool aws:SecureTransport false).
function statement(doc: { Statement: readonly PolicyStatement[] }, sid: string): PolicyStatement {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.have.length(1);
    return found[0] as PolicyStatement;
}

const TOPIC = "arn:aws:sns:us-east-1:111111111111:orgwatch-security-alarms";
const ARGS: AlarmTopicPolicyArgs = { partition: "aws", region: "us-east-1", accountId: "111111111111", topicArn: TOPIC };

describe("policy-documents: alarmTopicPolicy", () => {
    const doc = alarmTopicPolicy(ARGS);

    it("has exactly the documented statements", () => {
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["CloudWatchAlarmsPublish", "OwnerAccountManagement", "DenyInsecureTransport"]);
    });

    it("CloudWatchAlarmsPublish: cloudwatch.amazonaws.com publishes only for alarms of the owning account", () => {
        expect(statement(doc, "CloudWatchAlarmsPublish")).to.deep.equal({
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: TOPIC,
            Condition: {
                ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*" },
                StringEquals: { "aws:SourceAccount": "111111111111" },
            },
        });
    });

    it("OwnerAccountManagement: the owning account manages the topic but is not granted Publish here", () => {
        expect(statement(doc, "OwnerAccountManagement")).to.deep.equal({
            Sid: "OwnerAccountManagement",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:root" },
            Action: [
                "sns:AddPermission",
                "sns:DeleteTopic",
                "sns:GetTopicAttributes",
                "sns:ListSubscriptionsByTopic",
                "sns:RemovePermission",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
            ],
            Resource: TOPIC,
        });
    });

    it("DenyInsecureTransport: Publish without TLS is denied to everyone", () => {
        expect(statement(doc, "DenyInsecureTransport")).to.deep.equal({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: TOPIC,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("aws-us-gov and aws-cn partitions", () => {
        const gov = alarmTopicPolicy({ ...ARGS, partition: "aws-us-gov", region: "us-gov-west-1", topicArn: "arn:aws-us-gov:sns:us-gov-west-1:111111111111:t" });
        expect(statement(gov, "CloudWatchAlarmsPublish").Condition?.["ArnLike"]).to.deep.equal({
            "aws:SourceArn": "arn:aws-us-gov:cloudwatch:us-gov-west-1:111111111111:alarm:*",
        });
        expect(statement(gov, "OwnerAccountManagement").Principal).to.deep.equal({ AWS: "arn:aws-us-gov:iam::111111111111:root" });
        const cn = alarmTopicPolicy({ ...ARGS, partition: "aws-cn", region: "cn-north-1", topicArn: "arn:aws-cn:sns:cn-north-1:111111111111:t" });
        expect(statement(cn, "CloudWatchAlarmsPublish").Condition?.["ArnLike"]).to.deep.equal({
            "aws:SourceArn": "arn:aws-cn:cloudwatch:cn-north-1:111111111111:alarm:*",
        });
    });

    it("rejects a topic ARN of another account, Region or partition", () => {
        for (const topicArn of [
            "arn:aws:sns:us-east-1:222222222222:t",
            "arn:aws:sns:eu-west-1:111111111111:t",
            "arn:aws-cn:sns:us-east-1:111111111111:t",
            "arn:aws:sns:us-east-1:111111111111:",
        ]) {
            expect(() => alarmTopicPolicy({ ...ARGS, topicArn })).to.throw(
                Error,
                `topicArn must be a topic ARN of the form arn:aws:sns:us-east-1:111111111111:<name>; received ${JSON.stringify(topicArn)}`,
            );
        }
    });
});

describe("policy-documents: alarmTopicKeyPolicy", () => {
    const TOPIC = "arn:aws:sns:us-east-1:111111111111:ow-security-alarms";
    const KEY_ARGS = { partition: "aws", region: "us-east-1", accountId: "111111111111", topicArn: TOPIC, adminPrincipalArns: ["arn:aws:iam::111111111111:role/admin"] };
    const doc = alarmTopicKeyPolicy(KEY_ARGS);

    it("has exactly the documented statements, then the governance key denials", () => {
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["EnableKeyAdministration", "CloudWatchAlarmsUseKey", "DenyGrantsExceptForAwsResources", "DenyDataKeysExceptAwsServices"]);
    });

    it("EnableKeyAdministration: account root and admins", () => {
        expect(statement(doc, "EnableKeyAdministration")).to.deep.equal({
            Sid: "EnableKeyAdministration",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:role/admin"] },
            Action: "kms:*",
            Resource: "*",
        });
    });

    // SNS guide, "AWS services publishing to an encrypted topic": aws:SourceArn of the publishing resource and the
    // topic's encryption context kms:EncryptionContext:aws:sns:topicArn.
    it("CloudWatchAlarmsUseKey: cloudwatch.amazonaws.com, for this account's alarms (aws:SourceArn) and this topic (encryption context)", () => {
        expect(statement(doc, "CloudWatchAlarmsUseKey")).to.deep.equal({
            Sid: "CloudWatchAlarmsUseKey",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: {
                ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*" },
                StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": TOPIC },
            },
        });
    });

    it("follows the partition", () => {
        const p = alarmTopicKeyPolicy({ ...KEY_ARGS, partition: "aws-cn", topicArn: "arn:aws-cn:sns:us-east-1:111111111111:t", adminPrincipalArns: [] });
        expect(statement(p, "EnableKeyAdministration").Principal).to.deep.equal({ AWS: ["arn:aws-cn:iam::111111111111:root"] });
        expect(JSON.stringify(statement(p, "CloudWatchAlarmsUseKey").Condition)).to.contain("arn:aws-cn:cloudwatch:us-east-1:111111111111:alarm:*");
    });

    it("rejects a bad account id or a topic of another account", () => {
        expect(() => alarmTopicKeyPolicy({ ...KEY_ARGS, accountId: "abc" })).to.throw(Error, 'accountId must be a 12-digit AWS account id; received "abc"');
        expect(() => alarmTopicKeyPolicy({ ...KEY_ARGS, topicArn: "arn:aws:sns:us-east-1:222222222222:t" })).to.throw(Error, /^topicArn must be a topic ARN of the form arn:aws:sns:us-east-1:111111111111:<name>/);
    });
});
