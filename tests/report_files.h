// Tiny report documents made by hand for the tests and the upload benchmark: a PDF with one
// line of text, and ZIP files (stored, not compressed) for ODT and DOCX.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace expectmatch::testing {

inline std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kDigits[digest[i] >> 4];
    out += kDigits[digest[i] & 15];
  }
  return out;
}

// A one-page PDF showing `text` (ASCII, no parentheses or backslashes), with its cross-reference
// table.
inline std::string PdfWithText(const std::string& text) {
  const std::string stream = "BT /F1 12 Tf 72 712 Td (" + text + ") Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    std::string number = std::to_string(offset);
    pdf += std::string(10 - number.size(), '0') + number + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

inline uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A ZIP archive of `entries` (name, content) in that order, stored uncompressed.
inline std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto le16 = [](std::string& out, unsigned value) {
    out += static_cast<char>(value & 0xFF);
    out += static_cast<char>((value >> 8) & 0xFF);
  };
  auto le32 = [&](std::string& out, uint32_t value) {
    le16(out, value & 0xFFFF);
    le16(out, value >> 16);
  };
  std::string zip, central;
  for (const auto& [name, content] : entries) {
    const uint32_t offset = static_cast<uint32_t>(zip.size());
    const uint32_t crc = Crc32(content);
    const uint32_t size = static_cast<uint32_t>(content.size());
    zip += std::string("PK\x03\x04", 4);
    le16(zip, 20);    // version needed
    le16(zip, 0);     // flags
    le16(zip, 0);     // stored
    le16(zip, 0);     // time
    le16(zip, 0x21);  // date: 1980-01-01
    le32(zip, crc);
    le32(zip, size);
    le32(zip, size);
    le16(zip, static_cast<unsigned>(name.size()));
    le16(zip, 0);
    zip += name + content;
    central += std::string("PK\x01\x02", 4);
    le16(central, 20);
    le16(central, 20);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0x21);
    le32(central, crc);
    le32(central, size);
    le32(central, size);
    le16(central, static_cast<unsigned>(name.size()));
    le16(central, 0);  // extra
    le16(central, 0);  // comment
    le16(central, 0);  // disk
    le16(central, 0);  // internal attributes
    le32(central, 0);  // external attributes
    le32(central, offset);
    central += name;
  }
  const uint32_t central_at = static_cast<uint32_t>(zip.size());
  zip += central;
  zip += std::string("PK\x05\x06", 4);
  le16(zip, 0);
  le16(zip, 0);
  le16(zip, static_cast<unsigned>(entries.size()));
  le16(zip, static_cast<unsigned>(entries.size()));
  le32(zip, static_cast<uint32_t>(central.size()));
  le32(zip, central_at);
  le16(zip, 0);
  return zip;
}

inline std::string OdtWithText(const std::string& text) {
  return Zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
              {"content.xml",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content><office:body>"
               "<office:text><text:p>" +
                   text + "</text:p></office:text></office:body></office:document-content>"}});
}

inline std::string DocxWithText(const std::string& text) {
  return Zip({{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
              {"word/document.xml", "<?xml version=\"1.0\"?><w:document><w:body><w:p><w:r><w:t>" +
                                        text + "</w:t></w:r></w:p></w:body></w:document>"}});
}

}  // namespace expectmatch::testing
