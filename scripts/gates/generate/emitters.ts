/**
 * Everything `npm run gates -- generate` writes, one emitter per kind of file.
 * Add an emitter by importing it and listing it here.
 */
import { emitApex } from "./apex";
import { emitEnforcementTest } from "./enforcement-test";
import { emitFlow } from "./flow";
import { emitLwcDefinition } from "./lwc-definition";
import { emitPathAssistants } from "./path-assistants";
import { emitPermissions } from "./permissions";
import { emitStageDefinitions } from "./stage-definitions-apex";
import type { Emitter } from "./types";
import { emitValidationRules } from "./validation-rules";

export const EMITTERS: Emitter[] = [
  emitValidationRules,
  emitFlow,
  emitPermissions,
  emitLwcDefinition,
  emitApex,
  emitStageDefinitions,
<<<<<<< HEAD
  emitPathAssistants
=======
  emitEnforcementTest
>>>>>>> 4bc479b (Apex tests that pass in any org: generated StageGateGeneratedEnforcementTest (every enforced criterion blocked naming its code and saved once met, inserts, backward, bypass, 200-record move with Limits.getQueries() against the generated bound); StageGateMoveScenario; factory finds profiles by permissions and license key, gated and bypass users, explicit record types, bulk related records; example test runs as the gated user with explicit record types and covers Enterprise; workflow keeps Apex results; README)
];
