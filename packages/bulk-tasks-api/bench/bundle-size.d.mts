// Types of bundle-size.mjs, for test/package.test.ts.
export declare const MINIMAL_CONSUMER: string;
export declare const OPENAPI_FETCH_CONSUMER: string;
export declare function minGzipKilobytes(contents: string): Promise<number>;
export declare const OPENAPI_FETCH_WHOLE: string;
