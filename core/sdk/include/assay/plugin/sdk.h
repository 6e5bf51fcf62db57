#pragma once
// Everything a plugin needs: #include <assay/plugin/sdk.h>
#include "assay/plugin/abi.h"
#include "assay/plugin/host_services.h"
#include "assay/plugin/plugin.h"
#include "assay/plugin/types.h"
