#!/usr/bin/env bash
# Makes a throwaway RFC 3161 time-stamping authority for tests: a root CA and a TSA certificate signed by it, with
# the OpenSSL configuration that `openssl ts -reply` needs. Nothing here is ever trusted outside a test.
#
#   scripts/tsa/make-tsa.sh DIR [--key ec-p256|ec-p384|rsa] [--name NAME] [--eku critical|noncritical|extra]
#                               [--qualified] [--qc-compliance] [--ess v1|v2] [--days N]
#
# DIR receives root.key root.pem tsa.key tsa.pem chain.pem (tsa then root) and tsa.cnf, so that
#   openssl ts -reply -config DIR/tsa.cnf -queryfile Q.tsq -out R.tsr
# answers a request. --eku noncritical|extra make certificates that RFC 3161 forbids (OpenSSL's TSA refuses to use
# them; tests sign with `openssl cms -sign` instead).
set -euo pipefail
dir=$1; shift
key=ec-p256; name="Amana Test TSA"; eku=critical; qualified=no; ess=v2; days=3650
while [ $# -gt 0 ]; do
  case $1 in
    --key) key=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --eku) eku=$2; shift 2 ;;
    --qualified) qualified=yes; shift ;;
    --qc-compliance) qualified=compliance; shift ;;
    --ess) ess=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    *) echo "make-tsa.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
mkdir -p "$dir"
cd "$dir"

genkey() {
  case $key in
    ec-p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
    ec-p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1" 2>/dev/null ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    *) echo "make-tsa.sh: unknown key type $key" >&2; exit 64 ;;
  esac
}

genkey root.key
openssl req -x509 -new -key root.key -subj "/O=Amana Tests/CN=$name Root" -days "$days" -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out root.pem 2>/dev/null

genkey tsa.key
case $eku in
  critical) ekuline="extendedKeyUsage=critical,timeStamping" ;;
  noncritical) ekuline="extendedKeyUsage=timeStamping" ;;
  extra) ekuline="extendedKeyUsage=critical,timeStamping,codeSigning" ;;
  *) echo "make-tsa.sh: unknown --eku $eku" >&2; exit 64 ;;
esac
{
  echo "basicConstraints=critical,CA:FALSE"
  echo "keyUsage=critical,digitalSignature,nonRepudiation"
  echo "$ekuline"
  echo "subjectKeyIdentifier=hash"
  echo "authorityKeyIdentifier=keyid"
  if [ "$qualified" = yes ]; then
    # qcStatements (RFC 3739) holding only esi4-qtstStatement-1 (0.4.0.19422.1.1), DER by hand:
    # SEQUENCE { SEQUENCE { OID 0.4.0.19422.1.1 } }
    echo "1.3.6.1.5.5.7.1.3=DER:300B30090607040081975E0101"
  elif [ "$qualified" = compliance ]; then
    # qcStatements holding id-etsi-qcs-QcCompliance (0.4.0.1862.1.1), then esi4-qtstStatement-1:
    # SEQUENCE { SEQUENCE { OID 0.4.0.1862.1.1 } SEQUENCE { OID 0.4.0.19422.1.1 } }
    echo "1.3.6.1.5.5.7.1.3=DER:30153008060604008E46010130090607040081975E0101"
  fi
} > tsa.ext
openssl req -new -key tsa.key -subj "/O=Amana Tests/CN=$name" -out tsa.csr 2>/dev/null
openssl x509 -req -in tsa.csr -CA root.pem -CAkey root.key -set_serial "0x$(openssl rand -hex 8)" \
  -days "$days" -sha256 -extfile tsa.ext -out tsa.pem 2>/dev/null
cat tsa.pem root.pem > chain.pem
echo 01 > serial

if [ "$ess" = v1 ]; then essalg=sha1; else essalg=sha256; fi
cat > tsa.cnf <<CNF
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = $PWD
serial = \$dir/serial
crypto_device = builtin
signer_cert = \$dir/tsa.pem
certs = \$dir/root.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.3161.1
other_policies = 1.3.6.1.4.1.55555.3161.2
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:500
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = $essalg
CNF
