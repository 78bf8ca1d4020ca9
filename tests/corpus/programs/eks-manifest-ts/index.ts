import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";

const cluster = new eks.Cluster("apps", {
    instanceType: "t3.medium",
    desiredCapacity: 2,
    minSize: 1,
    maxSize: 3,
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
});

const provider = new k8s.Provider("apps", { kubeconfig: cluster.kubeconfigJson });

new k8s.yaml.ConfigFile("namespace", { file: "namespace.yaml" }, { provider });

export const kubeconfig = cluster.kubeconfig;
