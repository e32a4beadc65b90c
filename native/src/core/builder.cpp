#include "builder.h"

#include "lower.h"
#include "weights.h"

namespace trtfarm {

void optimizeProgram(Program& program, Precision precision, const CancelFlag* cancel, FoldCost& fold) {
  foldConstants(program, cancel, fold);
  throwIfCancelled(cancel);
  fuseGemms(program);
  throwIfCancelled(cancel);
  removeDeadCode(program);
  throwIfCancelled(cancel);
  storeWeightsAs(program, storageType(precision));
  if (precision == Precision::FP8) quantizeFcWeights(program);
}

Program compileProgram(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision,
                       const CancelFlag* cancel) {
  throwIfCancelled(cancel);
  Program program = lowerNetwork(network, checked, precision);
  throwIfCancelled(cancel);
  FoldCost fold;
  optimizeProgram(program, precision, cancel, fold);
  return program;
}

Plan buildPlan(const NetworkSpec& network, const BuildConfig& config, Backend& backend, const ProgressFn& progress) {
  const ProgressFn report = progress ? progress : [](double, const std::string&) {};
  throwIfCancelled(config.cancel);
  report(0, "validating");
  const CheckedNetwork checked = validate(network, config);
  report(0.05, "compiling");
  Plan plan;
  plan.backend = backend.name();
  plan.backendVersion = backend.version();
  plan.compatKey = backend.planCompatKey(config);
  plan.precision = config.precision;
  plan.batch = checked.batch;
  plan.inputs = checked.inputDescs;
  plan.outputs = checked.outputDescs;
  plan.program = compileProgram(network, checked, config.precision, config.cancel);
  throwIfCancelled(config.cancel);
  // Tuning is most of the work: it gets the progress range between compiling and serializing.
  plan.tactics = backend.tune(plan.program, config, plan.batch,
                              [&](double fraction, const std::string& stage) { report(0.1 + 0.85 * fraction, stage); });
  throwIfCancelled(config.cancel);
  report(1, "done");
  return plan;
}

}  // namespace trtfarm
