import { LightningElement } from "lwc";

/** A bare lightning-card: the baseline of `npm run bench:render`. */
export default class BenchCard extends LightningElement {}
