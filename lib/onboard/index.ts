export * from "./changes";
export * from "./diff";
export * from "./edit";
