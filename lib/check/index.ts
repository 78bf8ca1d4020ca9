export * from "./evaluate";
export * from "./format";
export * from "./components";
