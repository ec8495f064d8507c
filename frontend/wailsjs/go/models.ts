export namespace view {
	
	export class Abilities {
	    refresh: boolean;
	    revoke: boolean;
	    introspect: boolean;
	    userinfo: boolean;
	    logout: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Abilities(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.refresh = source["refresh"];
	        this.revoke = source["revoke"];
	        this.introspect = source["introspect"];
	        this.userinfo = source["userinfo"];
	        this.logout = source["logout"];
	    }
	}
	export class Notice {
	    level: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Notice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.message = source["message"];
	    }
	}
	export class AppInfo {
	    name: string;
	    version: string;
	    goVersion: string;
	    platform: string;
	    configDir: string;
	    keychainPersistent: boolean;
	    keychainChecking: boolean;
	    notices: Notice[];
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	        this.goVersion = source["goVersion"];
	        this.platform = source["platform"];
	        this.configDir = source["configDir"];
	        this.keychainPersistent = source["keychainPersistent"];
	        this.keychainChecking = source["keychainChecking"];
	        this.notices = this.convertValues(source["notices"], Notice);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Check {
	    name: string;
	    ok: boolean;
	    detail: string;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new Check(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.ok = source["ok"];
	        this.detail = source["detail"];
	        this.why = source["why"];
	    }
	}
	export class Claim {
	    name: string;
	    value: string;
	    raw: string;
	    meaning: string;
	    time: string;
	
	    static createFrom(source: any = {}) {
	        return new Claim(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	        this.raw = source["raw"];
	        this.meaning = source["meaning"];
	        this.time = source["time"];
	    }
	}
	export class QR {
	    size: number;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new QR(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.size = source["size"];
	        this.path = source["path"];
	    }
	}
	export class Device {
	    userCode: string;
	    verificationUri: string;
	    verificationUriComplete: string;
	    expiresAt: string;
	    interval: number;
	    qr: QR;
	
	    static createFrom(source: any = {}) {
	        return new Device(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userCode = source["userCode"];
	        this.verificationUri = source["verificationUri"];
	        this.verificationUriComplete = source["verificationUriComplete"];
	        this.expiresAt = source["expiresAt"];
	        this.interval = source["interval"];
	        this.qr = this.convertValues(source["qr"], QR);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Endpoints {
	    authorization: string;
	    token: string;
	    userinfo: string;
	    revocation: string;
	    introspection: string;
	    endSession: string;
	    jwks: string;
	    deviceAuthorization: string;
	
	    static createFrom(source: any = {}) {
	        return new Endpoints(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.authorization = source["authorization"];
	        this.token = source["token"];
	        this.userinfo = source["userinfo"];
	        this.revocation = source["revocation"];
	        this.introspection = source["introspection"];
	        this.endSession = source["endSession"];
	        this.jwks = source["jwks"];
	        this.deviceAuthorization = source["deviceAuthorization"];
	    }
	}
	export class Discovery {
	    issuer: string;
	    endpoints: Endpoints;
	    scopesSupported: string[];
	    s256: boolean;
	    issParameterSupported: boolean;
	    grantTypes: string[];
	    authMethods: string[];
	
	    static createFrom(source: any = {}) {
	        return new Discovery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.issuer = source["issuer"];
	        this.endpoints = this.convertValues(source["endpoints"], Endpoints);
	        this.scopesSupported = source["scopesSupported"];
	        this.s256 = source["s256"];
	        this.issParameterSupported = source["issParameterSupported"];
	        this.grantTypes = source["grantTypes"];
	        this.authMethods = source["authMethods"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Error {
	    message: string;
	    code: string;
	    description: string;
	    kind: string;
	    origins: string[];
	
	    static createFrom(source: any = {}) {
	        return new Error(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.code = source["code"];
	        this.description = source["description"];
	        this.kind = source["kind"];
	        this.origins = source["origins"];
	    }
	}
	export class ExchangeRequest {
	    subjectToken: string;
	    audience: string;
	    resource: string;
	    scope: string;
	    requestedTokenType: string;
	
	    static createFrom(source: any = {}) {
	        return new ExchangeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subjectToken = source["subjectToken"];
	        this.audience = source["audience"];
	        this.resource = source["resource"];
	        this.scope = source["scope"];
	        this.requestedTokenType = source["requestedTokenType"];
	    }
	}
	export class FieldError {
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class ForeignEndpoint {
	    name: string;
	    url: string;
	    origin: string;
	
	    static createFrom(source: any = {}) {
	        return new ForeignEndpoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.url = source["url"];
	        this.origin = source["origin"];
	    }
	}
	export class Handoff {
	    url: string;
	    browserError: string;
	    paste: boolean;
	    pasteOnly: boolean;
	    pasteUntil: string;
	
	    static createFrom(source: any = {}) {
	        return new Handoff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.browserError = source["browserError"];
	        this.paste = source["paste"];
	        this.pasteOnly = source["pasteOnly"];
	        this.pasteUntil = source["pasteUntil"];
	    }
	}
	export class KV {
	    key: string;
	    value: string;
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KV(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.value = source["value"];
	        this.enabled = source["enabled"];
	    }
	}
	export class RequestSpec {
	    id: string;
	    profileId: string;
	    method: string;
	    url: string;
	    params: KV[];
	    headers: KV[];
	    bodyType: string;
	    body: string;
	    form: KV[];
	    attachToken: boolean;
	    allowInsecure: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RequestSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.profileId = source["profileId"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.params = this.convertValues(source["params"], KV);
	        this.headers = this.convertValues(source["headers"], KV);
	        this.bodyType = source["bodyType"];
	        this.body = source["body"];
	        this.form = this.convertValues(source["form"], KV);
	        this.attachToken = source["attachToken"];
	        this.allowInsecure = source["allowInsecure"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HistoryEntry {
	    id: string;
	    time: string;
	    method: string;
	    url: string;
	    status: number;
	    durationMs: number;
	    size: number;
	    spec: RequestSpec;
	
	    static createFrom(source: any = {}) {
	        return new HistoryEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = source["time"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.status = source["status"];
	        this.durationMs = source["durationMs"];
	        this.size = source["size"];
	        this.spec = this.convertValues(source["spec"], RequestSpec);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportItem {
	    name: string;
	    importedId: string;
	    problems: string[];
	    notes: string[];
	
	    static createFrom(source: any = {}) {
	        return new ImportItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.importedId = source["importedId"];
	        this.problems = source["problems"];
	        this.notes = source["notes"];
	    }
	}
	export class ImportResult {
	    path: string;
	    items: ImportItem[];
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.items = this.convertValues(source["items"], ImportItem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Profile {
	    id: string;
	    name: string;
	    preset: string;
	    builtIn: boolean;
	    issuer: string;
	    endpoints: Endpoints;
	    clientId: string;
	    authMethod: string;
	    hasClientSecret: boolean;
	    clientSecret: string;
	    scopes: string[];
	    params: KV[];
	    grant: string;
	    redirectUri: string;
	    redirectHost: string;
	    redirectPort: number;
	    redirectPath: string;
	    timeoutSeconds: number;
	    caFile: string;
	    keepSignedIn: boolean;
	    apiBase: string;
	    status: string;
	    foreignEndpoints: ForeignEndpoint[];
	    trustedOrigins: string[];
	
	    static createFrom(source: any = {}) {
	        return new Profile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.preset = source["preset"];
	        this.builtIn = source["builtIn"];
	        this.issuer = source["issuer"];
	        this.endpoints = this.convertValues(source["endpoints"], Endpoints);
	        this.clientId = source["clientId"];
	        this.authMethod = source["authMethod"];
	        this.hasClientSecret = source["hasClientSecret"];
	        this.clientSecret = source["clientSecret"];
	        this.scopes = source["scopes"];
	        this.params = this.convertValues(source["params"], KV);
	        this.grant = source["grant"];
	        this.redirectUri = source["redirectUri"];
	        this.redirectHost = source["redirectHost"];
	        this.redirectPort = source["redirectPort"];
	        this.redirectPath = source["redirectPath"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	        this.caFile = source["caFile"];
	        this.keepSignedIn = source["keepSignedIn"];
	        this.apiBase = source["apiBase"];
	        this.status = source["status"];
	        this.foreignEndpoints = this.convertValues(source["foreignEndpoints"], ForeignEndpoint);
	        this.trustedOrigins = source["trustedOrigins"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Preset {
	    id: string;
	    name: string;
	    needs: string[];
	    notes: string[];
	    profile: Profile;
	
	    static createFrom(source: any = {}) {
	        return new Preset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.needs = source["needs"];
	        this.notes = source["notes"];
	        this.profile = this.convertValues(source["profile"], Profile);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class Timings {
	    dnsMs: number;
	    connectMs: number;
	    tlsMs: number;
	    firstByteMs: number;
	    totalMs: number;
	
	    static createFrom(source: any = {}) {
	        return new Timings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dnsMs = source["dnsMs"];
	        this.connectMs = source["connectMs"];
	        this.tlsMs = source["tlsMs"];
	        this.firstByteMs = source["firstByteMs"];
	        this.totalMs = source["totalMs"];
	    }
	}
	export class Response {
	    requestId: string;
	    status: number;
	    statusText: string;
	    proto: string;
	    headers: KV[];
	    bodyKind: string;
	    body: string;
	    prettyBody: string;
	    bodyParts: number;
	    prettyParts: number;
	    hexBody: string;
	    size: number;
	    totalSize: number;
	    truncated: boolean;
	    timings: Timings;
	    notices: string[];
	    error?: Error;
	    needsInsecureConsent: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Response(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.requestId = source["requestId"];
	        this.status = source["status"];
	        this.statusText = source["statusText"];
	        this.proto = source["proto"];
	        this.headers = this.convertValues(source["headers"], KV);
	        this.bodyKind = source["bodyKind"];
	        this.body = source["body"];
	        this.prettyBody = source["prettyBody"];
	        this.bodyParts = source["bodyParts"];
	        this.prettyParts = source["prettyParts"];
	        this.hexBody = source["hexBody"];
	        this.size = source["size"];
	        this.totalSize = source["totalSize"];
	        this.truncated = source["truncated"];
	        this.timings = this.convertValues(source["timings"], Timings);
	        this.notices = source["notices"];
	        this.error = this.convertValues(source["error"], Error);
	        this.needsInsecureConsent = source["needsInsecureConsent"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SaveResult {
	    profile: Profile;
	    errors: FieldError[];
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profile = this.convertValues(source["profile"], Profile);
	        this.errors = this.convertValues(source["errors"], FieldError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Token {
	    present: boolean;
	    kind: string;
	    masked: string;
	    header: Claim[];
	    claims: Claim[];
	    rawHeader: string;
	    rawClaims: string;
	    expiresAt: string;
	    issuedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Token(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.present = source["present"];
	        this.kind = source["kind"];
	        this.masked = source["masked"];
	        this.header = this.convertValues(source["header"], Claim);
	        this.claims = this.convertValues(source["claims"], Claim);
	        this.rawHeader = source["rawHeader"];
	        this.rawClaims = source["rawClaims"];
	        this.expiresAt = source["expiresAt"];
	        this.issuedAt = source["issuedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Session {
	    profileId: string;
	    status: string;
	    attempt: number;
	    subject: string;
	    displayName: string;
	    email: string;
	    expiresAt: string;
	    scopes: string[];
	    tokenType: string;
	    accessToken: Token;
	    idToken: Token;
	    refreshToken: Token;
	    userInfo: string;
	    checks: Check[];
	    refreshes: number;
	    rotations: number;
	    ignoredCallbacks: number;
	    restored: boolean;
	    error?: Error;
	    capabilities: Abilities;
	    grant: string;
	    device?: Device;
	    handoff?: Handoff;
	    issuedTokenType: string;
	    exchangedFrom: string;
	
	    static createFrom(source: any = {}) {
	        return new Session(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.status = source["status"];
	        this.attempt = source["attempt"];
	        this.subject = source["subject"];
	        this.displayName = source["displayName"];
	        this.email = source["email"];
	        this.expiresAt = source["expiresAt"];
	        this.scopes = source["scopes"];
	        this.tokenType = source["tokenType"];
	        this.accessToken = this.convertValues(source["accessToken"], Token);
	        this.idToken = this.convertValues(source["idToken"], Token);
	        this.refreshToken = this.convertValues(source["refreshToken"], Token);
	        this.userInfo = source["userInfo"];
	        this.checks = this.convertValues(source["checks"], Check);
	        this.refreshes = source["refreshes"];
	        this.rotations = source["rotations"];
	        this.ignoredCallbacks = source["ignoredCallbacks"];
	        this.restored = source["restored"];
	        this.error = this.convertValues(source["error"], Error);
	        this.capabilities = this.convertValues(source["capabilities"], Abilities);
	        this.grant = source["grant"];
	        this.device = this.convertValues(source["device"], Device);
	        this.handoff = this.convertValues(source["handoff"], Handoff);
	        this.issuedTokenType = source["issuedTokenType"];
	        this.exchangedFrom = source["exchangedFrom"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    presentationMode: boolean;
	    theme: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.presentationMode = source["presentationMode"];
	        this.theme = source["theme"];
	    }
	}
	export class SignOutResult {
	    revoked: boolean;
	    loggedOutAtIdp: boolean;
	    secretsDeleted: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new SignOutResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revoked = source["revoked"];
	        this.loggedOutAtIdp = source["loggedOutAtIdp"];
	        this.secretsDeleted = source["secretsDeleted"];
	        this.message = source["message"];
	    }
	}
	
	
	export class TraceField {
	    name: string;
	    value: string;
	    secret: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TraceField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	        this.secret = source["secret"];
	    }
	}
	export class TraceEvent {
	    attempt: number;
	    seq: number;
	    time: string;
	    offsetMs: number;
	    step: string;
	    status: string;
	    title: string;
	    detail: string;
	    fields: TraceField[];
	
	    static createFrom(source: any = {}) {
	        return new TraceEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.attempt = source["attempt"];
	        this.seq = source["seq"];
	        this.time = source["time"];
	        this.offsetMs = source["offsetMs"];
	        this.step = source["step"];
	        this.status = source["status"];
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.fields = this.convertValues(source["fields"], TraceField);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

