/** First-prediction snippets for the empty overview, with this server's URL and a key filled in. */

export interface SnippetInput {
  url: string;
  /** An API key, or null to leave a placeholder the user replaces. */
  apiKey: string | null;
}

export const SNIPPET_LANGUAGES = ['TypeScript', 'Python', 'curl'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

export function snippet(language: SnippetLanguage, { url, apiKey }: SnippetInput): string {
  const key = apiKey ?? '<your API key>';
  switch (language) {
    case 'TypeScript':
      return `// npm install @vigil/sdk
import { VigilApi, VigilClient } from '@vigil/sdk';

const url = '${url}';
const apiKey = '${key}';
// A second run finds the model registered already (409): that is fine.
await new VigilApi({ url, apiKey })
  .createModel({ name: 'my-model', task: 'binary_classification' })
  .catch((error) => {
    if (error.status !== 409) throw error;
  });

const vigil = new VigilClient({ url, apiKey, model: 'my-model' });
vigil.log({ features: { age: 42, country: 'FR' }, prediction: 1, score: 0.87 });
await vigil.close(); // sends what is queued`;
    case 'Python':
      return `# pip install ./python   (from the Vigil repository)
import vigil

client = vigil.Client("${url}", api_key="${key}")
client.create_model("my-model", "binary_classification", exist_ok=True)
client.model("my-model").log(features={"age": 42, "country": "FR"}, prediction=1, score=0.87)
client.close()  # sends what is queued`;
    case 'curl':
      return `curl -X POST '${url}/api/v1/models' \\
  -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\
  -d '{"name": "my-model", "task": "binary_classification"}'

curl -X POST '${url}/api/v1/models/my-model/predictions' \\
  -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\
  -d '[{"features": {"age": 42, "country": "FR"}, "prediction": 1, "score": 0.87}]'`;
  }
}
