/** Wire types of the users and API-key routes (`/api/v1/users`, `/api/v1/keys`), from the SDK. */
export type { ApiKey, ApiKeyScope as KeyScope, CreatedApiKey, User } from '@vigil/sdk';
