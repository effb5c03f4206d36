export { registerRegistryMlflowRoutes } from './mlflow-routes.js';
export { registerRegistryRoutes } from './routes.js';
export { aliasProblem, modelNameProblem, RegistryService } from './service.js';
