// The built page decoder's worker, plus a way to make it die mid-request (see exit-on-crash-request.mjs).
import './exit-on-crash-request.mjs';
import '../../dist/providers/page-decoder.worker.js';
