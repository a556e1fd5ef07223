export { runEdgeBench, runScaling, mixFile, type EdgeBenchOptions, type EdgeBenchReport, type ScalingReport, type ToolResult } from './edge.js';
export { edgeJson, edgeTable, scalingTable } from './report.js';
export { PEERS, wardsightTool, type Tool } from './tools.js';
export { measure, hasGnuTime, type Measurement } from './measure.js';
