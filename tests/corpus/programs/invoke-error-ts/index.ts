import * as aws from "@pulumi/aws";

const role = new aws.iam.Role("reader", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
});

const policy = aws.iam.getPolicyDocumentOutput({
    statements: [
        { sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::reports/*"] },
        { sid: "Read", actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::reports"] },
    ],
});

new aws.iam.RolePolicy("reader", { role: role.id, policy: policy.json });
