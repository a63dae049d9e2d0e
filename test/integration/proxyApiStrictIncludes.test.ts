/**
 * The whole proxy API suite (proxyApi.test.ts) again, against a PhotoShelter that answers only the
 * `include=` names real clients confirm: every expectation, rights and visibility included, must hold
 * when the proxy reads IPTC, custom metadata and galleries from their sub-resources.
 */
import { stackDefaults } from "./proxyHarness";
// Registers the suite's tests in this file; its stacks start in beforeAll, after the line below ran.
import "./proxyApi.test";

stackDefaults.mock = { psStrictIncludes: true };
