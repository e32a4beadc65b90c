#include "network.h"

namespace trtfarm {

const char* layerTypeName(LayerType type) {
  switch (type) {
    case LayerType::FullyConnected: return "fullyConnected";
    case LayerType::Constant: return "constant";
    case LayerType::MatrixMultiply: return "matrixMultiply";
    case LayerType::ElementWise: return "elementWise";
    case LayerType::Activation: return "activation";
    case LayerType::Reshape: return "reshape";
  }
  return "unknown";
}

}  // namespace trtfarm
