# Yang disampaikan use case (src/service) dan aturan produk (src/domain) kepada pengguna:
# penolakan, galat, dan file Kunci Pemulihan. Istilah: lihat locales/GLOSSARY.md.

## Galat yang dapat muncul di setiap use case
service-not-found = Tidak ditemukan.
service-link-invalid = Tautan ini sudah tidak berlaku. Tautan ini mungkin sudah digunakan atau sudah kedaluwarsa.
service-throttled = Terlalu banyak percobaan. Coba lagi dalam { $wait }.
service-cooldown = Anda dapat meminta kode baru dalam { $wait }.
service-step-expired = Proses masuk Anda terlalu lama dan telah berakhir. Silakan masuk lagi.
service-overloaded = Layanan sedang sibuk. Coba lagi dalam beberapa detik.

## Masuk
service-signin-wrong-credentials = Email atau kata sandi salah.
service-signin-disabled = Akun ini dinonaktifkan. Minta administrator organisasi Anda untuk mengaktifkannya.
service-signin-must-reset = Demi keamanan Anda, pilih kata sandi baru sebelum masuk: gunakan “Lupa kata sandi?” di bawah.
service-signin-enter-password = Masukkan kata sandi Anda.
service-signin-not-offered = Cara masuk tersebut tidak aktif untuk akun ini.
service-signin-out-of-date = Halaman ini sudah tidak mutakhir. Sekarang halaman ini menampilkan tahap proses masuk Anda saat ini.
service-passkey-not-allowed = Organisasi Anda tidak mengizinkan masuk dengan kunci sandi. Masuk dengan email dan kata sandi Anda.

## Kata sandi
service-password-wrong = Kata sandi Anda salah.
service-password-wrong-current = Kata sandi Anda saat ini salah.

## Kode melalui email
service-code-used = Kode ini sudah digunakan. Minta kode baru.
service-code-wrong = Kode salah. Periksa email terbaru, lalu coba lagi.
service-code-tried-out = Kode ini sudah terlalu sering dimasukkan dengan salah. Minta kode baru.
service-code-expired = Kode ini sudah kedaluwarsa. Minta kode baru.
service-code-none-sent = Belum ada kode yang dikirim untuk proses masuk ini. Gunakan "Kirim ulang kode".
service-code-none-yet = Belum ada kode yang dikirim. Gunakan "Kirim kode verifikasi".

## Aplikasi autentikator ($skew: domain-totp-skew-behind atau -ahead)
service-app-replayed = Kode ini sudah digunakan. Tunggu kode berikutnya di aplikasi Anda, lalu masukkan kode tersebut.
service-app-skewed = Kode ini tidak berlaku sekarang, tetapi dibuat untuk waktu yang lain: jam perangkat Anda tampaknya { $skew }. Atur ponsel Anda agar waktunya disetel secara otomatis, lalu masukkan kode yang baru.
service-app-wrong = Kode salah. Masukkan kode saat ini dari aplikasi autentikator Anda.
service-app-none = Belum ada aplikasi autentikator yang disiapkan untuk akun ini.
service-app-verify-email-first = Verifikasi alamat email Anda sebelum menyiapkan aplikasi autentikator: melalui email itulah kami menghubungi Anda jika ponsel Anda hilang.
service-app-no-setup = Tidak ada penyiapan aplikasi autentikator yang sedang berlangsung.
service-app-setup-ended = Penyiapan ini telah berakhir. Pilih "Siapkan" untuk memulai lagi.
service-app-not-set-up = Belum ada aplikasi autentikator yang disiapkan.

## Kunci Pemulihan
service-rk-wrong-just-used = Kunci Pemulihan ini salah atau sudah digunakan. Kunci ini baru saja digunakan, dan kunci baru telah menggantikannya.
service-rk-wrong = Kunci Pemulihan ini salah atau sudah digunakan. Periksa file Kunci Pemulihan Anda.
service-rk-used-moment-ago = Kunci Pemulihan ini baru saja digunakan.
service-rk-turn-on-first = Aktifkan autentikasi dua faktor terlebih dahulu.
service-rk-not-yours = Kunci Pemulihan ini tidak dapat Anda unduh lagi: kunci yang lebih baru telah menggantikannya.

## File Kunci Pemulihan yang diunduh, satu baris per pesan ($when: waktu beserta zonanya)
service-rk-file-title = Kunci Pemulihan Latchkey
service-rk-file-account = Akun: { $email }
service-rk-file-org = Organisasi: { $org }
service-rk-file-created = Dibuat: { $when }
service-rk-file-key = Kunci Pemulihan: { $key }
service-rk-file-how = Cara menggunakannya: jika Anda tidak dapat menerima kode verifikasi melalui email, masuk di { $url } dengan kata sandi Anda, pilih "Gunakan Kunci Pemulihan Anda", lalu ketik kunci ini. Kunci ini hanya berlaku sekali; setelah itu Anda akan mendapatkan kunci yang baru.
service-rk-file-keep = Simpan file ini seaman kata sandi Anda. Siapa pun yang memiliki file ini dan kata sandi Anda dapat masuk sebagai Anda.

## Faktor kedua saat ini sebagai bukti
service-proof-no-email-codes = Kode melalui email bukan salah satu faktor kedua Anda. Gunakan aplikasi autentikator atau Kunci Pemulihan Anda.
service-proof-confirm-to-add = Autentikasi dua faktor sudah aktif: masukkan kata sandi Anda dan salah satu faktor kedua Anda saat ini untuk menambahkan cara masuk lain.
service-proof-two-factor-off = Autentikasi dua faktor nonaktif.

## Kunci keamanan dan kunci sandi
service-key-not-available = Kunci keamanan dan kunci sandi mengharuskan Latchkey diakses melalui nama (URL publiknya, misalnya https://login.example.com atau http://localhost:8080), bukan melalui alamat IP.
service-key-no-answer = Browser Anda tidak memberikan jawaban dari kunci keamanan. Izinkan JavaScript di halaman ini, lalu coba lagi.
service-key-challenge-gone = Permintaan kunci keamanan ini telah berakhir atau sudah dijawab. Coba lagi: browser Anda akan meminta kunci Anda sekali lagi.
service-key-unreadable = Jawaban browser Anda dari kunci keamanan tidak dapat dibaca. Coba lagi.
service-key-refused = Kunci keamanan atau kunci sandi tersebut tidak diterima untuk akun ini. Gunakan kunci yang telah Anda tambahkan ke akun ini.
service-key-name-empty = Beri nama kunci ini, misalnya "YubiKey 5" atau "Laptop kantor".
service-key-name-too-long = Nama kunci maksimal 64 karakter, dalam satu baris.
service-key-verify-email-first = Verifikasi alamat email Anda sebelum menambahkan kunci keamanan: melalui email itulah kami menghubungi Anda jika kunci Anda hilang.
service-key-already-added = Kunci keamanan atau kunci sandi ini sudah terdaftar. Gunakan kunci lain, atau hapus kunci ini terlebih dahulu.
service-key-answer-unreadable = Jawaban browser Anda tidak dapat dibaca. Coba lagi.
service-key-not-accepted = Jawaban kunci keamanan tidak diterima. Coba lagi, atau gunakan kunci lain.

## Mengaktifkan dan menonaktifkan autentikasi dua faktor
service-tfa-verify-email-first = Verifikasi alamat email Anda sebelum mengaktifkan autentikasi dua faktor: kode akan dikirim ke alamat tersebut.
service-tfa-email-codes-on = Kode melalui email sudah aktif.
service-tfa-already-off = Autentikasi dua faktor sudah nonaktif.

## Verifikasi email
service-email-already-verified = Alamat email Anda sudah terverifikasi.
service-email-too-many = Terlalu banyak email yang dikirim ke alamat ini dalam satu jam terakhir. Gunakan email yang paling baru, atau coba lagi nanti.

## Organisasi, anggota, dan admin
service-org-policy-last-method = { $org } mewajibkan autentikasi dua faktor, sehingga Anda tidak dapat menghapus metode terakhir Anda yang diizinkan. Siapkan metode lain terlebih dahulu.
service-admin-key-first = Tambahkan kunci keamanan atau kunci sandi untuk diri Anda sendiri sebelum mewajibkannya bagi admin.
service-admin-2fa-first = Siapkan autentikasi dua faktor untuk diri Anda sendiri, dengan metode yang Anda izinkan, sebelum mewajibkannya.
service-admin-invite-domain = Undang alamat email di domain { $domain }, yaitu domain organisasi.
service-admin-reset-2fa-first = Siapkan autentikasi dua faktor untuk diri Anda sendiri sebelum mengatur ulang autentikasi dua faktor anggota.
service-admin-last-admin = Organisasi harus memiliki minimal satu admin: jadikan orang lain admin terlebih dahulu.
service-admin-last-active-admin = Organisasi harus memiliki minimal satu admin aktif.
service-admin-not-self = Anda tidak dapat menonaktifkan akun Anda sendiri.

## Organisasi dan akun (penyiapan awal, baris perintah)
service-no-org = Tidak ada organisasi yang memiliki domain { $domain }.
service-account-domain-taken = Sebuah organisasi sudah memiliki domain { $domain }.
service-account-no-org-create = Tidak ada organisasi yang memiliki domain { $domain }. Buat terlebih dahulu dengan: latchkey org create --name NAME --domain { $domain }
service-account-email-taken = Akun dengan email { $email } sudah ada.
service-setup-email-domain = Gunakan alamat email di domain { $domain }, yaitu domain organisasi.
service-operator-no-account = Tidak ada akun dengan email { $email }.
service-operator-last-admin = { $email } adalah admin aktif terakhir di organisasi ini: jadikan orang lain admin terlebih dahulu.

## Aplikasi
service-apps-unknown = Tidak ada aplikasi dengan ID klien { $client_id }.
service-apps-public-no-secret = { $app } adalah klien publik: klien ini tidak memiliki rahasia (klien ini membuktikan dirinya dengan PKCE).
service-keys-rotation-race = Rotasi lain berjalan pada saat yang sama. Jalankan lagi.

## Masuk ke aplikasi
service-oidc-no-client-id = Permintaan masuk dari aplikasi tidak memiliki client_id. Kembali ke aplikasi, lalu coba lagi; jika masalah ini terus terjadi, beri tahu administratornya.
service-oidc-no-redirect = Permintaan masuk dari aplikasi tidak menyebutkan alamat tujuan kembali (redirect_uri). Beri tahu administrator aplikasi tersebut.
service-oidc-unregistered-redirect = Aplikasi meminta kembali ke alamat yang tidak terdaftar untuknya, sehingga Latchkey tidak akan mengarahkan Anda ke sana. Beri tahu administrator aplikasi tersebut.
service-oidc-unknown-client = Aplikasi ini tidak terdaftar di Latchkey (client_id tidak dikenal). Beri tahu administrator aplikasi tersebut.
service-oidc-expired = Proses masuk ini berlangsung lebih dari satu jam, sehingga telah berakhir. Kembali ke aplikasi, lalu masuk lagi.
service-oidc-invalid = Alamat ini tidak lengkap atau tidak benar. Kembali ke aplikasi, lalu masuk lagi.
service-oidc-nothing-to-consent = Tidak ada yang perlu disetujui di sini.

## Aturan produk (src/domain): kata sandi
domain-password-too-short = Gunakan minimal 8 karakter untuk kata sandi Anda.
domain-password-too-long = Gunakan maksimal 128 byte untuk kata sandi Anda.
domain-password-too-common = Kata sandi ini termasuk yang paling umum dan mudah ditebak. Pilih kata sandi lain.
domain-password-same-as-email = Jangan gunakan alamat email Anda sebagai kata sandi.
domain-password-mismatch = Kedua kata sandi tidak sama.

## Alamat email dan domain
domain-email-empty = Masukkan alamat email.
domain-email-too-long = Alamat email maksimal 254 karakter.
domain-email-malformed = Masukkan alamat email seperti nama@example.com.
domain-email-bad-domain = Masukkan domain seperti example.com.

## Nama dan peran
domain-name-org-empty = Masukkan nama organisasi.
domain-name-org-too-long = Gunakan maksimal 100 karakter untuk nama organisasi.
domain-name-person-too-long = Gunakan maksimal 100 karakter untuk nama Anda.
domain-role-admin = Admin
domain-role-member = Anggota

## Aplikasi ($uri, $typed, $canonical: alamat dalam tanda kutip ganda)
domain-app-empty-name = Masukkan nama aplikasi.
domain-app-long-name = Gunakan maksimal 100 karakter untuk nama aplikasi.
domain-app-no-redirect = Berikan minimal satu URI pengalihan.
domain-app-not-absolute = { $uri } bukan URI absolut. Berikan alamat lengkapnya, seperti https://app.example.com/callback.
domain-app-not-https = { $uri } harus menggunakan https (http hanya diizinkan untuk localhost, 127.0.0.1, dan [::1]).
domain-app-fragment = { $uri } memiliki fragmen (#...), yang tidak boleh ada pada URI pengalihan.
domain-app-credentials = { $uri } memuat nama pengguna atau kata sandi, yang tidak boleh ada pada URI pengalihan.
domain-app-long-uri = URI pengalihan maksimal 2000 karakter.
domain-app-whitespace = { $uri } memuat spasi atau karakter kontrol, yang tidak boleh ada pada URI pengalihan.
domain-app-not-canonical = Tulis { $typed } sebagai { $canonical }: URI ini dibandingkan persis dengan yang dikirim aplikasi.

## Kode dan kunci yang diketik
domain-code-malformed = Masukkan kode verifikasi 6 digit.
domain-code-capped = Tidak ada kode yang dikirim: akun ini sudah menerima kode sebanyak batas maksimum dalam satu jam. Anda dapat meminta kode baru dalam { $wait }.
domain-recovery-key-length = Kunci Pemulihan terdiri dari 28 huruf dan angka, seperti 7K3M-9QXD-...; pastikan Anda mengetik semuanya.
domain-recovery-key-symbol = Kunci Pemulihan hanya berisi huruf dan angka yang tercetak di file Kunci Pemulihan Anda; periksa apakah ada salah ketik.

## Jam perangkat yang tidak tepat, di dalam service-app-skewed ($amount: "2 menit", "90 detik")
domain-totp-skew-behind = terlambat sekitar { $amount }
domain-totp-skew-ahead = lebih cepat sekitar { $amount }

## Yang boleh diketahui aplikasi, di halaman persetujuannya
domain-oidc-disclose-who = mengetahui siapa Anda di organisasi Anda
domain-oidc-disclose-name-email = mengetahui nama dan alamat email Anda
domain-oidc-disclose-name = mengetahui nama Anda
domain-oidc-disclose-email = mengetahui alamat email Anda
domain-oidc-disclose-offline = tetap masuk sebagai Anda saat Anda tidak sedang menggunakannya
