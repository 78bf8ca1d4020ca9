/** AWS partitions, derived from a Region name. */

export interface PartitionInfo {
    /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` or `aws-eusc`. */
    readonly partition: string;
    /** DNS suffix of the partition's service endpoints, e.g. `amazonaws.com`. */
    readonly dnsSuffix: string;
    /** Reverse DNS prefix used in service principals of the partition, e.g. `com.amazonaws`. */
    readonly reverseDnsPrefix: string;
}

const COMMERCIAL: PartitionInfo = { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };

// Region prefixes per partition: https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
const BY_PREFIX: readonly (readonly [string, PartitionInfo])[] = [
    ["cn-", { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" }],
    ["us-gov-", { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }],
    ["us-isob-", { partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", reverseDnsPrefix: "gov.sgov.sc2s" }],
    ["us-isof-", { partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", reverseDnsPrefix: "gov.ic.hci.csp" }],
    ["us-iso-", { partition: "aws-iso", dnsSuffix: "c2s.ic.gov", reverseDnsPrefix: "gov.ic.c2s" }],
    ["eu-isoe-", { partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", reverseDnsPrefix: "uk.adc-e.cloud" }],
    ["eusc-", { partition: "aws-eusc", dnsSuffix: "amazonaws.eu", reverseDnsPrefix: "eu.amazonaws" }],
];

/** The partition a Region belongs to; `aws` for commercial Regions and when the Region is unknown. */
export function partitionInfoOf(region: string | null | undefined): PartitionInfo {
    if (region) {
        for (const [prefix, info] of BY_PREFIX) {
            if (region.startsWith(prefix)) {
                return info;
            }
        }
    }
    return COMMERCIAL;
}

/** The partition name of a Region (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function partitionOf(region: string): string {
    return partitionInfoOf(region).partition;
}
