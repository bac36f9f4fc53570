/**
 * Everything `npm run gates -- generate` writes, one emitter per kind of file.
 * Add an emitter by importing it and listing it here.
 */
import { emitAlertsTest } from "./alerts-test";
import { emitApex } from "./apex";
import { emitEnforcementTest } from "./enforcement-test";
import { emitFlow } from "./flow";
import { emitLwcDefinition } from "./lwc-definition";
import { emitMoveCheckTest } from "./move-check-test";
import { emitPathAssistants } from "./path-assistants";
import { emitPermissions } from "./permissions";
import { emitStageDefinitions } from "./stage-definitions-apex";
import type { Emitter } from "./types";
import { emitValidationRules } from "./validation-rules";
import { emitWaivers } from "./waivers";

export const EMITTERS: Emitter[] = [
  emitValidationRules,
  emitFlow,
  emitPermissions,
  emitLwcDefinition,
  emitApex,
  emitStageDefinitions,
  emitPathAssistants,
  emitEnforcementTest,
  emitMoveCheckTest,
  emitAlertsTest,
  emitWaivers
];
