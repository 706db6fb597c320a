"""Builds the package with the C library inside it.

The binding (textsim/_binding.py) is cffi in ABI mode, so the only thing to
compile is libtextsim.so itself: from the textsim source tree this package
sits in (../CMakeLists.txt, or $TEXTSIM_SOURCE_DIR), with CMake, into
build/cmake/ (or $TEXTSIM_CMAKE_BUILD), copied into the package as
textsim/_lib/libtextsim.so.  Outside a source tree nothing is
built and the package uses an installed libtextsim (`make install`) or
$TEXTSIM_LIBRARY at run time.  The build needs what `make run` installs
(scripts/bootstrap: a C compiler, CMake, OpenCL, ICU, ... headers).
"""
import glob
import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
# The source tree and the CMake build directory; the environment may name
# others (tests/python/test_pip_install.sh builds a copy of python/).
ROOT = os.environ.get("TEXTSIM_SOURCE_DIR") or os.path.dirname(HERE)
BUILD = os.environ.get("TEXTSIM_CMAKE_BUILD") or os.path.join(HERE, "build", "cmake")


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        if not os.path.exists(os.path.join(ROOT, "CMakeLists.txt")):
            return
        build = BUILD
        subprocess.check_call(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"])
        subprocess.check_call(["cmake", "--build", build, "-j", str(os.cpu_count() or 2),
                               "--target", "textsim_shared"])
        # The real file (libtextsim.so.X.Y.Z), not the symbolic links: a wheel
        # stores files only.
        real = max(glob.glob(os.path.join(build, "libtextsim.so.*.*.*")), key=os.path.getmtime)
        dest = os.path.join(self.build_lib, "textsim", "_lib")
        os.makedirs(dest, exist_ok=True)
        shutil.copyfile(real, os.path.join(dest, "libtextsim.so"))


class WithLibrary(Distribution):
    """A platform wheel: it carries a shared library."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithLibrary}, distclass=WithLibrary)
