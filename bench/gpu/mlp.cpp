#include "mlp.h"

#include <string>
#include <utility>
#include <vector>

namespace trtfarm::bench {

NetworkSpec mlp(std::mt19937& rng, std::ostream* weights) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  const float scale = 1.0f / 64.0f;
  NetworkSpec net;
  net.inputs.push_back({"x", {kDynamic, kMlpWidth}});
  for (int l = 0; l < kMlpLayers; ++l) {
    LayerSpec fc;
    fc.name = "fc" + std::to_string(l);
    fc.type = LayerType::FullyConnected;
    fc.outputs = kMlpWidth;
    fc.weights.resize(kMlpWidth * kMlpWidth);
    for (float& w : fc.weights) w = dist(rng) * scale;
    fc.bias = std::vector<float>(kMlpWidth);
    for (float& b : *fc.bias) b = dist(rng) * 0.1f;
    if (weights) {
      weights->write(reinterpret_cast<const char*>(fc.weights.data()), fc.weights.size() * sizeof(float));
      weights->write(reinterpret_cast<const char*>(fc.bias->data()), fc.bias->size() * sizeof(float));
    }
    LayerSpec relu;
    relu.name = "relu" + std::to_string(l);
    relu.type = LayerType::Activation;
    relu.kind = Activation::Relu;
    net.layers.push_back(std::move(fc));
    net.layers.push_back(std::move(relu));
  }
  return net;
}

}  // namespace trtfarm::bench
