# Build of the native backend (node-gyp, run by `npm install` through
# scripts/build-native.mjs). The ISA-dependent kernels (kernels.cc, gemm.cc)
# are compiled three times on x86-64 — baseline, x86-64-v3 (AVX2+FMA) and
# x86-64-v4 (AVX-512) — and the addon picks the best one the CPU supports when
# it loads (runtime dispatch). So the build never uses -march=native and the
# same binary runs on any x86-64 machine; other architectures get the portable
# baseline build only.
#
# -Werror=switch: the kernels switch over the op enums of native/seam.h, so an
# op added to src/backend/native/seam.ts without a case is a build error.
{
  'variables': {
    # The ISA-dependent sources, compiled once per ISA level below. A new
    # kernel file goes here (ISA-dependent) or in mlpkit_native's sources.
    'isa_sources': ['native/kernels.cc', 'native/gemm.cc', 'native/mlp.cc'],
  },
  'target_defaults': {
    'cflags_cc': ['-std=gnu++17', '-O3', '-fPIC', '-ffp-contract=fast', '-fno-math-errno', '-fno-trapping-math', '-Wall', '-Werror=switch', '-Wno-unused-function'],
    'cflags_cc!': ['-fno-exceptions'],
    'xcode_settings': {
      'OTHER_CPLUSPLUSFLAGS': ['-std=gnu++17', '-O3', '-ffp-contract=fast', '-fno-math-errno', '-Werror=switch'],
    },
  },
  'targets': [
    {
      'target_name': 'mlpk_generic',
      'type': 'static_library',
      'sources': ['<@(isa_sources)'],
    },
    {
      'target_name': 'mlpkit_native',
      'sources': ['native/addon.cc', 'native/pool.cc', 'native/movement.cc', 'native/random.cc', 'native/seam_table.cc'],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_DISABLE_CPP_EXCEPTIONS'],
      'dependencies': ['mlpk_generic'],
      'libraries': ['-lpthread'],
      'conditions': [
        ['target_arch=="x64"', {
          'dependencies': ['mlpk_x86_64_v3', 'mlpk_x86_64_v4'],
          'defines': ['MLPK_HAVE_X86_64_V3', 'MLPK_HAVE_X86_64_V4'],
        }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'mlpk_x86_64_v3',
          'type': 'static_library',
          'sources': ['<@(isa_sources)'],
          'cflags_cc': ['-march=x86-64-v3', '-mtune=generic'],
        },
        {
          'target_name': 'mlpk_x86_64_v4',
          'type': 'static_library',
          'sources': ['<@(isa_sources)'],
          'cflags_cc': ['-march=x86-64-v4', '-mtune=generic'],
        },
      ],
    }],
  ],
}
