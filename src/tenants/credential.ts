import { registerEnumType } from 'type-graphql';

/** How a caller proved who they are. */
export enum Credential {
  API_KEY = 'API_KEY',
  JWT = 'JWT',
}

registerEnumType(Credential, {
  name: 'Credential',
  description: 'How a request was authenticated.',
  valuesConfig: {
    API_KEY: { description: 'A Matchcast API key (x-api-key or Authorization: Bearer mc_…).' },
    JWT: { description: "A JWT of the deployment's identity provider (Authorization: Bearer)." },
  },
});
