export { FakeGitHub, startFakeGitHub } from './fake-github.js';
export type {
  AddCheckRunInput,
  AddPullRequestInput,
  AddReviewInput,
  AddStatusInput,
  CheckRunsMode,
  FakeApp,
  FakeCheckRun,
  FakeComment,
  FakeGitHubOptions,
  FakePullRequest,
  FakeReview,
  FakeReviewState,
  FakeStatus,
  RecordedRequest,
} from './fake-github.js';
export { GitRepo } from './git-repo.js';
export type { FileMap, GitRunResult } from './git-repo.js';
export { sendWebhook, signPayload } from './send-webhook.js';
export type { SendWebhookInput, SendWebhookResult } from './send-webhook.js';
