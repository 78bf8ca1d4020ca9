/**
 * A static site (in the style of the static-website-aws-typescript template): a private bucket
 * served by CloudFront through an origin access control, standard logs to a log bucket, and an AWS
 * WAF web ACL in front, logging to an aws-waf-logs-* log group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { AppCase, logBucket, logGroup, platform, Variant } from "./shared";

function program(variant: Variant): void {
    const { key } = platform("site", {});

    const content = new aws.s3.Bucket("site-content");
    new aws.s3.BucketPublicAccessBlock("site-content", { bucket: content.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });

    // CloudFront standard logging (legacy) writes with bucket ACLs, so the log bucket keeps them enabled.
    const logs = logBucket("site-logs", { skipTlsOnly: variant === "log-bucket-not-tls-only" });
    new aws.s3.BucketOwnershipControls("site-logs", { bucket: logs.id, rule: { objectOwnership: "BucketOwnerPreferred" } });

    const acl = new aws.wafv2.WebAcl("site-acl", {
        region: "us-east-1",
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: [
            {
                name: "common",
                priority: 0,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "common", sampledRequestsEnabled: true },
            },
        ],
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "site-acl", sampledRequestsEnabled: true },
    });
    if (variant !== "acl-unlogged") {
        const wafLogs = logGroup(variant === "acl-logs-misnamed" ? "/waf/site" : "aws-waf-logs-site", "site-acl-logs", key, { region: "us-east-1" });
        new aws.wafv2.WebAclLoggingConfiguration("site-acl-logging", { region: "us-east-1", resourceArn: acl.arn, logDestinationConfigs: [wafLogs.arn] });
    }

    const oac = new aws.cloudfront.OriginAccessControl("site-oac", { originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
    const cdn = new aws.cloudfront.Distribution("site-cdn", {
        enabled: true,
        defaultRootObject: "index.html",
        webAclId: acl.arn,
        origins: [{ originId: "content", domainName: content.bucketRegionalDomainName, originAccessControlId: oac.id }],
        defaultCacheBehavior: {
            targetOriginId: "content",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
        priceClass: "PriceClass_100",
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
        ...(variant === "distribution-unlogged" ? {} : { loggingConfig: { bucket: logs.bucketDomainName, prefix: "cdn/", includeCookies: false } }),
    });
    new aws.s3.BucketPolicy("site-content", {
        bucket: content.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: pulumi.interpolate`${content.arn}/*`, Condition: { StringEquals: { "AWS:SourceArn": cdn.arn } } },
            ],
        }),
    });
}

export const staticSite: AppCase = {
    name: "static site (S3, CloudFront, AWS WAF)",
    program,
    variants: {
        // Without logging the log bucket receives nothing and is no longer an audit bucket.
        "distribution-unlogged": [{ policy: "cloudfront-logging-enabled", resource: "site-cdn" }],
        "log-bucket-not-tls-only": [{ policy: "audit-bucket-tls-only", resource: "site-logs" }],
        "acl-unlogged": [{ policy: "waf-logging-enabled", resource: "site-acl" }],
        // AWS WAF delivers only to destinations named aws-waf-logs-*.
        "acl-logs-misnamed": [{ policy: "waf-logging-enabled", resource: "site-acl-logging" }],
    },
};
