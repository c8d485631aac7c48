// Types of bundle-size.mjs, for test/package.test.ts.
export declare const MINIMAL_CONSUMER: string;
export declare const LIST_ONLY_CONSUMER: string;
export declare const EVERY_OPERATION_CONSUMER: string;
export declare const OPENAPI_FETCH_CONSUMER: string;
export declare function minGzipKilobytes(contents: string): Promise<number>;
export declare function minifiedBundle(contents: string): Promise<Uint8Array>;
export declare const OPENAPI_FETCH_WHOLE: string;
