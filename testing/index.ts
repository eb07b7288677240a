/**
 * Conversation tests for bot authors (docs/stories.md): stories in YAML or JSON, run in-process
 * against an app through its HTTP API, as `kefu test` does.
 * @example
 * import { formatReport, loadStories, runStories } from './testing';
 * const report = await runStories(app, await loadStories(['stories']));
 * console.log(formatReport(report)); // "… 12 passed, 0 failed"
 */
export { DEFAULT_STORY_PATHS, findStoryFiles, loadStories } from './load-stories';
export { parseStories } from './parse-story';
export { compilePattern, type Pattern } from './pattern';
export { formatFailure, formatReport, formatStoryLine } from './report';
export { runStories } from './run-stories';
export type { AgentStep, CsatStep, CustomerStep, HandoffStep, SeeStep, Step, Story, StoryLocale, WrittenStep } from './story';
export type { InjectRequest, InjectResponse, RunOptions, RunReport, StepFailure, StoryApp, StoryHandoff, StoryResult } from './story-app';
