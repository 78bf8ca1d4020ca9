// Entry file of the policy pack: only builds the PolicyPack. Constructing it starts the analyzer
// server the Pulumi CLI talks to, so nothing else (tests, the offline check) may import this file.
import { PolicyPack } from "@pulumi/policy";

import { ORGWATCH_POLICIES, POLICY_PACK_NAME } from "./pack";

new PolicyPack(POLICY_PACK_NAME, {
    policies: ORGWATCH_POLICIES,
    description: "orgwatch: every stack in the organization turns on monitoring.",
});
