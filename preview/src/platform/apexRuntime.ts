/**
 * How `@salesforce/apex/Class.method` imports behave in the preview: the build
 * generates one module per imported method (after checking that force-app declares
 * it `@AuraEnabled static`) which calls `createApexMethod` with the preview's
 * implementation from `apex/<Class>.ts`.
 *
 * Like the platform: arguments are matched to the method's parameters by name
 * (unknown names dropped, missing ones null); results travel as JSON; a wire only
 * calls the method once no parameter is undefined, provisions frozen values, and
 * shares its client-side cache (keyed by method and arguments) with every wire of
 * the same call until `refreshApex` refreshes it; only `cacheable=true` methods
 * can be wired. Thrown errors reach the component as the platform's
 * `{ status: 500, body: { message, exceptionType } }`.
 */

export type ApexImplementation = (args: Record<string, unknown>) => unknown;

export interface ApexMethodInfo {
  cacheable: boolean;
  /** Parameter names from the Apex signature, in order. */
  params: string[];
}

export interface ApexError {
  ok: false;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: {
    message: string;
    exceptionType: string;
    isUserDefinedException: boolean;
    stackTrace: string;
  };
}

/** Throw from an implementation to simulate an Apex exception of a given type. */
export class ApexException extends Error {
  constructor(
    message: string,
    readonly exceptionType = "System.AuraHandledException",
    readonly isUserDefined = false
  ) {
    super(message);
  }
}

type DataCallback = (value: unknown) => void;

interface CacheEntry {
  value: { data?: unknown; error?: ApexError };
  wires: Set<ApexWire>;
}

const cache = new Map<string, CacheEntry>();
/** Provisioned value object -> cache key (refreshApex receives the value a wire provisioned). */
const provisioned = new WeakMap<object, string>();
const implementations = new Map<
  string,
  { impl: ApexImplementation; info: ApexMethodInfo }
>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) {
      deepFreeze(v);
    }
  }
  return value;
}

function toApexError(error: unknown): ApexError {
  const message = error instanceof Error ? error.message : String(error);
  const exceptionType =
    error instanceof ApexException
      ? error.exceptionType
      : "System.UnexpectedException";
  return {
    ok: false,
    status: 500,
    statusText: "Server Error",
    headers: {},
    body: {
      message,
      exceptionType,
      isUserDefinedException:
        error instanceof ApexException && error.isUserDefined,
      stackTrace: ""
    }
  };
}

function bindArguments(
  info: ApexMethodInfo,
  params: Record<string, unknown> | undefined
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of info.params) {
    const value = params?.[name];
    args[name] = value === undefined ? null : JSON.parse(JSON.stringify(value));
  }
  return args;
}

interface QueuedAction {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The Apex actions queued in the current task, sent together once it ends. */
let queuedActions: QueuedAction[] | undefined;

/**
 * The framework queues Apex actions and sends them to the server as one batched request (LWC
 * Developer Guide, "Call Apex Methods"), where each runs in order in its own transaction and the
 * answers come back together: actions queued in one task share one round trip here, run in
 * order, and settle together.
 */
function enqueueAction(run: () => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!queuedActions) {
      queuedActions = [];
      setTimeout(sendQueuedActions, 0);
    }
    queuedActions.push({ run, resolve, reject });
  });
}

function sendQueuedActions(): void {
  const actions = queuedActions ?? [];
  queuedActions = undefined;
  const outcomes = actions.map((action) => {
    try {
      return { ok: true as const, value: action.run() };
    } catch (error) {
      return { ok: false as const, error };
    }
  });
  outcomes.forEach((outcome, i) =>
    outcome.ok
      ? actions[i].resolve(outcome.value)
      : actions[i].reject(outcome.error)
  );
}

/** One action of a server round trip: arguments bound by name, the result serialized as JSON. */
async function invoke(
  name: string,
  params: Record<string, unknown> | undefined
): Promise<unknown> {
  const { impl, info } = implementations.get(name) as {
    impl: ApexImplementation;
    info: ApexMethodInfo;
  };
  const result = await enqueueAction(() => impl(bindArguments(info, params)));
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}

async function fetchInto(
  key: string,
  name: string,
  params: Record<string, unknown> | undefined
): Promise<void> {
  let value: CacheEntry["value"];
  try {
    value = { data: await invoke(name, params), error: undefined };
  } catch (error) {
    value = { data: undefined, error: toApexError(error) };
  }
  const entry = cache.get(key) ?? { value, wires: new Set<ApexWire>() };
  entry.value = deepFreeze(value);
  cache.set(key, entry);
  for (const wire of Array.from(entry.wires)) {
    wire.emit(entry.value, key);
  }
}

class ApexWire {
  private key?: string;
  private connected = false;
  private config?: Record<string, unknown>;

  constructor(
    private readonly name: string,
    private readonly info: ApexMethodInfo,
    private readonly callback: DataCallback
  ) {}

  connect(): void {
    this.connected = true;
    this.start();
  }

  update(config: Record<string, unknown>): void {
    this.config = config ?? {};
    this.start();
  }

  disconnect(): void {
    this.connected = false;
    if (this.key) {
      cache.get(this.key)?.wires.delete(this);
    }
  }

  emit(value: CacheEntry["value"], key: string): void {
    if (this.connected && this.key === key) {
      provisioned.set(value, key);
      this.callback(value);
    }
  }

  private start(): void {
    if (!this.connected || this.config === undefined) {
      return;
    }
    if (!this.info.cacheable) {
      this.callback(
        deepFreeze({
          data: undefined,
          error: toApexError(
            new Error(
              `Apex method ${this.name} must be annotated @AuraEnabled(cacheable=true) to be used with @wire`
            )
          )
        })
      );
      return;
    }
    if (Object.values(this.config).some((v) => v === undefined)) {
      return;
    }
    const key = `${this.name}:${JSON.stringify(bindArguments(this.info, this.config))}`;
    if (this.key && this.key !== key) {
      cache.get(this.key)?.wires.delete(this);
    }
    this.key = key;
    const entry = cache.get(key);
    if (entry) {
      entry.wires.add(this);
      const value = entry.value;
      setTimeout(() => this.emit(value, key), 0);
      return;
    }
    cache.set(key, { value: {}, wires: new Set([this]) });
    void fetchInto(key, this.name, this.config);
  }
}

export type ApexMethod = ((
  params?: Record<string, unknown>
) => Promise<unknown>) & {
  adapter: new (callback: DataCallback) => ApexWire;
};

export function createApexMethod(
  name: string,
  impl: ApexImplementation,
  info: ApexMethodInfo
): ApexMethod {
  if (typeof impl !== "function") {
    throw new Error(
      `The preview's stand-in for Apex ${name} is not a function`
    );
  }
  implementations.set(name, { impl, info });
  const call = async (params?: Record<string, unknown>): Promise<unknown> => {
    try {
      return await invoke(name, params);
    } catch (error) {
      throw toApexError(error);
    }
  };
  const adapter = class extends ApexWire {
    constructor(callback: DataCallback) {
      super(name, info, callback);
    }
  };
  return Object.assign(call, { adapter });
}

/** `refreshApex(wiredValue)`: calls the method again for that wire's arguments and re-provisions. */
export async function refreshApexValue(value: unknown): Promise<void> {
  const key =
    value && typeof value === "object" ? provisioned.get(value) : undefined;
  if (!key) {
    // The platform resolves without doing anything for values it did not provision.
    return;
  }
  const name = key.slice(0, key.indexOf(":"));
  const params = JSON.parse(key.slice(name.length + 1)) as Record<
    string,
    unknown
  >;
  await fetchInto(key, name, params);
}
