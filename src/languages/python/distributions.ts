/**
 * Which distribution a top-level import name belongs to. Declared
 * dependencies decide when their normalised name matches; a few well-known
 * packages whose import name differs from their distribution name are
 * listed; the standard library is `stdlib`. Otherwise the top-level import
 * name stands for the distribution, which cannot be known without
 * installed metadata.
 */

/** Python 3.11's sys.stdlib_module_names, public ones. */
const STANDARD_LIBRARY = new Set(
  `
abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii
bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections
colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes
curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum
errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt
getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp
importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox
mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt
ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools
pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile
pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy
sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket
socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep
struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios
textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty
turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref
webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
__future__
`.split(/\s+/).filter(Boolean),
);

const KNOWN_DISTRIBUTIONS: Record<string, string> = {
  yaml: 'PyYAML',
  PIL: 'Pillow',
  bs4: 'beautifulsoup4',
  sklearn: 'scikit-learn',
  skimage: 'scikit-image',
  cv2: 'opencv-python',
  dateutil: 'python-dateutil',
  jwt: 'PyJWT',
  attr: 'attrs',
  Crypto: 'pycryptodome',
  OpenSSL: 'pyOpenSSL',
  serial: 'pyserial',
  usb: 'pyusb',
  magic: 'python-magic',
  dotenv: 'python-dotenv',
  docx: 'python-docx',
  git: 'GitPython',
  jose: 'python-jose',
  multipart: 'python-multipart',
  google: 'protobuf',
  pkg_resources: 'setuptools',
  gi: 'PyGObject',
  dns: 'dnspython',
  psycopg2: 'psycopg2-binary',
  MySQLdb: 'mysqlclient',
  zmq: 'pyzmq',
  wx: 'wxPython',
  Levenshtein: 'python-Levenshtein',
  telegram: 'python-telegram-bot',
  slugify: 'python-slugify',
};

/** PEP 503 normalisation: case-insensitive, runs of -_. are one dash. */
export function normaliseDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function isStandardLibrary(topLevel: string): boolean {
  return STANDARD_LIBRARY.has(topLevel);
}

export class DistributionNames {
  private readonly declared = new Map<string, string>();

  constructor(dependencies: Iterable<string>) {
    for (const name of dependencies) this.declared.set(normaliseDistribution(name), name);
  }

  /** The distribution for a top-level import name. */
  of(topLevel: string): string {
    if (isStandardLibrary(topLevel)) return 'stdlib';
    const direct = this.declared.get(normaliseDistribution(topLevel));
    if (direct) return direct;
    const known = KNOWN_DISTRIBUTIONS[topLevel];
    if (known) return this.declared.get(normaliseDistribution(known)) ?? known;
    return this.declared.get(normaliseDistribution(`python-${topLevel}`)) ?? topLevel;
  }
}
