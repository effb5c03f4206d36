export { ApiClient, api, apiUrl, type RequestOptions, safeNextPath } from './client';
export { ApiError, describeError, errorFromResponse } from './errors';
export * as mlflow from './mlflow';
export {
  fetchSession,
  hasRole,
  type Role,
  type Session,
  type SessionUser,
  sessionQueryKey,
  signIn,
  signOut,
  useCurrentUser,
  useSession,
} from './session';
